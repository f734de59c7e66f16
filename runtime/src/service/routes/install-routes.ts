/** Install, inspect, reconfigure and remove integrations, each scoped to the caller's tenant. */
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { createInstallBody, idParams, installPage, installView, pageQuery, patchInstallBody } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import type { InstallRecord } from "../../service-store/service-store.js";
import { addRoute, type ServiceContext } from "../service-context.js";

export const installSpecs = {
  create: { method: "POST", url: "/v1/installs", summary: "Install `slug@range` with config, bindings and a credential.", access: "tenant", body: createInstallBody, response: { 201: installView } },
  list: { method: "GET", url: "/v1/installs", summary: "The tenant's installs, oldest first.", access: "tenant", querystring: pageQuery, response: { 200: installPage } },
  get: { method: "GET", url: "/v1/installs/:id", summary: "One install; credential values are never returned.", access: "tenant", params: idParams, response: { 200: installView } },
  patch: { method: "PATCH", url: "/v1/installs/:id", summary: "Replace config, bindings or the credential, validated as at install.", access: "tenant", params: idParams, body: patchInstallBody, response: { 200: installView } },
  remove: { method: "DELETE", url: "/v1/installs/:id", summary: "Uninstall: timers stop; cache, containers and runs are deleted.", access: "tenant", params: idParams, response: { 204: null } },
} satisfies Record<string, RouteSpec>;

type Id = { params: z.infer<typeof idParams> };

/**
 * The install as answered after a change that may carry a new credential (PATCH, upgrade,
 * rollback): a new credential replaces the OAuth tokens and may be another account.
 */
export async function viewAfterChange(rt: ServiceContext, install: InstallRecord, body: { credentials?: unknown } | undefined) {
  if (body?.credentials !== undefined) {
    await rt.store.lifecycle.deleteOAuthConnection(install.id);
    await rt.checkAccount(install, (await rt.bundles.load(install)).manifest);
  }
  return rt.views.one(install);
}

export async function installRoutes(app: FastifyInstance) {
  const { installs, store, views, checkAccount, bundles } = app.runtime;
  addRoute<{ body: z.infer<typeof createInstallBody> }>(app, installSpecs.create, async (request, reply) => {
    const install = await installs.create(tenantOf(request), request.body);
    await checkAccount(install, (await bundles.load(install)).manifest);
    return reply.status(201).send(await views.one(install));
  });
  addRoute<{ query: z.infer<typeof pageQuery> }>(app, installSpecs.list, async (request) => {
    const page = await store.listInstalls(tenantOf(request), request.query);
    return { items: await views.many(tenantOf(request), page.items), cursor: page.cursor };
  });
  addRoute<Id>(app, installSpecs.get, async (request) => views.one(await installs.get(tenantOf(request), request.params.id)));
  addRoute<Id & { body: z.infer<typeof patchInstallBody> }>(app, installSpecs.patch, async (request) => {
    return viewAfterChange(app.runtime, await installs.patch(tenantOf(request), request.params.id, request.body), request.body);
  });
  addRoute<Id>(app, installSpecs.remove, async (request, reply) => {
    await installs.remove(tenantOf(request), request.params.id);
    return reply.status(204).send();
  });
}
