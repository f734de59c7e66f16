/**
 * Who is calling: one onRequest hook reads `Authorization: Bearer`, compares the admin token in
 * constant time and looks tenant tokens up by their SHA-256 (tokens are 192 random bits, so a
 * fast hash is enough and the database never holds a usable token). Routes declare their access
 * in the route config; the hook refuses the wrong kind of caller before any handler runs.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Access } from "./api-route.js";
import { ServiceError } from "./service-error.js";

export type Principal = { kind: "admin" } | { kind: "tenant"; tenantId: string };

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest();
export const hashToken = (token: string) => digest(token).toString("hex");
export const newTenantToken = () => `ihub_t_${randomBytes(24).toString("base64url")}`;

/** The caller's tenant, for routes declared with access "tenant". */
export function tenantOf(request: FastifyRequest): string {
  if (request.principal?.kind !== "tenant") throw new ServiceError(403, "TENANT_TOKEN_REQUIRED", "this endpoint acts for a tenant", "Use the token returned by POST /v1/tenants.");
  return request.principal.tenantId;
}

export function installAuth(app: FastifyInstance, adminToken: string, tenantByTokenHash: (hash: string) => Promise<{ id: string } | null>): void {
  app.decorateRequest("principal", null);
  // One hash of the caller's token serves both checks: equal digests (compared in constant time)
  // for the admin token, the stored hash for a tenant's.
  const adminDigest = digest(adminToken);
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config?.access ?? "public";
    if (access === "public") return;
    const header = request.headers.authorization ?? "";
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) throw new ServiceError(401, "UNAUTHENTICATED", "missing bearer token", "Send `Authorization: Bearer <token>`: the admin token, or a tenant token from POST /v1/tenants.");
    const presented = digest(token);
    if (timingSafeEqual(presented, adminDigest)) request.principal = { kind: "admin" };
    else {
      const tenant = await tenantByTokenHash(presented.toString("hex"));
      if (!tenant) throw new ServiceError(401, "UNAUTHENTICATED", "the bearer token is not valid", "Tenant tokens are shown once at creation; create a new tenant if it was lost.");
      request.principal = { kind: "tenant", tenantId: tenant.id };
    }
    if (access === "admin" && request.principal.kind !== "admin") throw new ServiceError(403, "ADMIN_TOKEN_REQUIRED", "only the admin token manages tenants");
    if (access === "tenant") tenantOf(request);
  });
}
