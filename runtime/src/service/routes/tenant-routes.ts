/** Tenants, managed with the admin token. The tenant token is returned once and stored as a hash. */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { createdTenant, createTenantBody } from "../api-schemas.js";
import { hashToken, newTenantToken } from "../auth.js";
import { addRoute } from "../service-context.js";

export const tenantSpecs = {
  create: { method: "POST", url: "/v1/tenants", summary: "Create a tenant (admin token).", access: "admin", body: createTenantBody, response: { 201: createdTenant } },
} satisfies Record<string, RouteSpec>;

export async function tenantRoutes(app: FastifyInstance) {
  addRoute<{ body: z.infer<typeof createTenantBody> }>(app, tenantSpecs.create, async (request, reply) => {
    const token = newTenantToken();
    const tenant = { id: randomUUID(), name: request.body.name, bindings: request.body.bindings ?? {}, createdAt: app.runtime.clock.now() };
    await app.runtime.store.createTenant(tenant, hashToken(token));
    return reply.status(201).send({ id: tenant.id, name: tenant.name, token });
  });
}
