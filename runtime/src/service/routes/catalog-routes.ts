/** What the tenant can install from this runtime's registry: data for a workflow builder's add-step menu. */
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { catalogPage, pageQuery } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import { addRoute } from "../service-context.js";

export const catalogSpecs = {
  list: {
    method: "GET",
    url: "/v1/catalog",
    summary: "Integrations this runtime can install from its registry, by slug: public ones and the tenant's own (those it installed), each as the newest installable version describes itself.",
    access: "tenant",
    querystring: pageQuery,
    response: { 200: catalogPage },
  },
} satisfies Record<string, RouteSpec>;

export async function catalogRoutes(app: FastifyInstance) {
  const { catalog } = app.runtime;
  addRoute<{ query: z.infer<typeof pageQuery> }>(app, catalogSpecs.list, async (request) => catalog.page(tenantOf(request), request.query));
}
