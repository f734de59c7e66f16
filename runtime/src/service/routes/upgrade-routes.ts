/** Moving an install to another version of its integration, and back. */
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { idParams, installView, rollbackBody, upgradeBody } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import { addRoute } from "../service-context.js";
import { blockedError } from "../upgrade-manager.js";
import { viewAfterChange } from "./install-routes.js";

export const upgradeSpecs = {
  upgrade: {
    method: "POST",
    url: "/v1/installs/:id/upgrade",
    summary:
      "Move to the newest version in the install's range, or to `version`, keeping cache and containers and re-planning timers, in one transaction. 409 UPGRADE_CONFIG_INVALID when the stored config or bindings do not fit (send new ones); 409 UPGRADE_NEEDS_CONSENT when the version may do more (send `acceptPermissions: true`). Either way the install shows the pending upgrade.",
    access: "tenant",
    params: idParams,
    body: upgradeBody,
    bodyRequired: false,
    response: { 200: installView },
  },
  rollback: {
    method: "POST",
    url: "/v1/installs/:id/rollback",
    summary: "Return to the version, config and bindings the last upgrade (or rollback) left. Following the range stops.",
    access: "tenant",
    params: idParams,
    body: rollbackBody,
    bodyRequired: false,
    response: { 200: installView },
  },
} satisfies Record<string, RouteSpec>;

type Id = { params: z.infer<typeof idParams> };

export async function upgradeRoutes(app: FastifyInstance) {
  const { installs, upgrades } = app.runtime;
  addRoute<Id & { body: z.infer<typeof upgradeBody> }>(app, upgradeSpecs.upgrade, async (request) => {
    const outcome = await upgrades.upgrade(await installs.get(tenantOf(request), request.params.id), request.body);
    if (outcome.kind === "blocked") throw blockedError(outcome.install, outcome.pending);
    return viewAfterChange(app.runtime, outcome.install, request.body);
  });
  addRoute<Id & { body: z.infer<typeof rollbackBody> }>(app, upgradeSpecs.rollback, async (request) =>
    viewAfterChange(app.runtime, await upgrades.rollback(await installs.get(tenantOf(request), request.params.id), request.body), request.body),
  );
}
