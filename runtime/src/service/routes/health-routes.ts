/** Liveness, readiness, metrics and the API document: the routes that need no token. */
import type { FastifyInstance } from "fastify";
import type { RouteSpec } from "../api-route.js";
import { health } from "../api-schemas.js";
import { openApiDocument } from "../openapi-document.js";
import { addRoute } from "../service-context.js";
import { z } from "zod";

export const healthSpecs = {
  healthz: { method: "GET", url: "/healthz", summary: "Liveness: the process answers.", access: "public", response: { 200: health } },
  readyz: { method: "GET", url: "/readyz", summary: "Readiness: storage and registry reachable.", access: "public", response: { 200: health, 503: health } },
  metrics: { method: "GET", url: "/metrics", summary: "Prometheus metrics (text format).", access: "public", response: { 200: z.string() } },
  openapi: { method: "GET", url: "/openapi.json", summary: "This document.", access: "public", response: { 200: z.record(z.string(), z.unknown()) } },
} satisfies Record<string, RouteSpec>;

export function healthRoutes(allSpecs: () => readonly RouteSpec[], version: string) {
  return async (app: FastifyInstance) => {
    addRoute(app, healthSpecs.healthz, async () => ({ status: "ok" }));
    addRoute(app, healthSpecs.readyz, async (_request, reply) => {
      const checks: Record<string, string> = {};
      const probes = { storage: () => app.runtime.store.ping(), ...app.runtime.probes };
      for (const [name, probe] of Object.entries(probes)) {
        checks[name] = await probe().then(() => "ok", (error: Error) => `unavailable: ${error.message}`);
      }
      const ok = Object.values(checks).every((c) => c === "ok");
      return reply.status(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", checks });
    });
    addRoute(app, healthSpecs.metrics, async (_request, reply) => {
      const { registry } = app.runtime.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    });
    let doc: unknown;
    addRoute(app, healthSpecs.openapi, async () => (doc ??= openApiDocument(allSpecs(), version)));
  };
}
