/** What the tenant's installs cost: the charges their handlers reported, summed per install and handler over a period. */
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { tenantOf } from "../auth.js";
import { usageQuery, usageReport } from "../lifecycle-schemas.js";
import { addRoute } from "../service-context.js";
import { ServiceError } from "../service-error.js";
import { sumUsd } from "../../service-store/lifecycle-store.js";

export const DEFAULT_USAGE_PERIOD_MS = 30 * 24 * 3600_000;

export const usageSpecs = {
  get: {
    method: "GET",
    url: "/v1/usage",
    summary: "Charges reported with ctx.billing.charge, summed per install and handler over [from, to).",
    access: "tenant",
    querystring: usageQuery,
    response: { 200: usageReport },
  },
} satisfies Record<string, RouteSpec>;

export async function usageRoutes(app: FastifyInstance) {
  const { store, clock, installs } = app.runtime;
  addRoute<{ query: z.infer<typeof usageQuery> }>(app, usageSpecs.get, async (request) => {
    const tenant = tenantOf(request);
    const to = request.query.to ? Date.parse(request.query.to) : clock.now();
    const from = request.query.from ? Date.parse(request.query.from) : to - DEFAULT_USAGE_PERIOD_MS;
    if (from >= to) throw new ServiceError(400, "INVALID_PERIOD", "`from` must be before `to`", "Give an ISO 8601 period with from < to.");
    if (request.query.installId) await installs.get(tenant, request.query.installId);
    const rows = await store.lifecycle.usage(tenant, { from, to, ...(request.query.installId ? { installId: request.query.installId } : {}) });
    const items = rows.map((r) => ({ installId: r.installId, integration: r.slug, handler: r.handler, usd: r.usd, charges: r.charges, runs: r.runs }));
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), items, totalUsd: sumUsd(rows.map((r) => r.usd)) };
  });
}
