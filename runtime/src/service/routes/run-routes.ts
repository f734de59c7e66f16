/** Runs of every trigger, newest first, with their redacted logs. */
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RunRecord } from "../../service-store/service-store.js";
import type { RouteSpec } from "../api-route.js";
import { idParams, pageQuery, runPage, runView } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import { addRoute } from "../service-context.js";
import type { RecordedCharge } from "../../service-store/lifecycle-store.js";
import { viewCost } from "../lifecycle-schemas.js";
import { notFound } from "../service-error.js";

export const runSpecs = {
  list: { method: "GET", url: "/v1/installs/:id/runs", summary: "Runs of an install, newest first.", access: "tenant", params: idParams, querystring: pageQuery, response: { 200: runPage } },
  get: { method: "GET", url: "/v1/runs/:id", summary: "One run.", access: "tenant", params: idParams, response: { 200: runView } },
} satisfies Record<string, RouteSpec>;

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const viewRun = (r: RunRecord, charges: readonly RecordedCharge[]): z.infer<typeof runView> => ({
  id: r.id, installId: r.installId, handler: r.handler, trigger: r.trigger, triggerRef: r.triggerRef, version: r.version, attempt: r.attempt,
  status: r.status, startedAt: iso(r.startedAt)!, finishedAt: iso(r.finishedAt), durationMs: r.durationMs, error: r.error, limitHit: r.limitHit, logs: r.logs,
  cost: viewCost(charges),
});

export async function runRoutes(app: FastifyInstance) {
  const { installs, store } = app.runtime;
  addRoute<{ params: z.infer<typeof idParams>; query: z.infer<typeof pageQuery> }>(app, runSpecs.list, async (request) => {
    const tenant = tenantOf(request);
    await installs.get(tenant, request.params.id);
    const page = await store.listRuns(tenant, request.params.id, request.query);
    const items = await Promise.all(page.items.map(async (r) => viewRun(r, await store.lifecycle.chargesOfRun(tenant, r.id))));
    return { items, cursor: page.cursor };
  });
  addRoute<{ params: z.infer<typeof idParams> }>(app, runSpecs.get, async (request) => {
    const run = await store.getRun(tenantOf(request), request.params.id);
    if (!run) throw notFound("run", request.params.id);
    return viewRun(run, await store.lifecycle.chargesOfRun(run.tenantId, run.id));
  });
}
