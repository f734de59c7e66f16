/**
 * Connecting an OAuth 2.0 install: the tenant starts the authorization, the provider sends the
 * user's browser back to the callback, which needs no token (the state it carries is bound to the
 * install and tenant, single-use and expiring). After a connect the connected account is asked.
 */
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { idParams } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import { oauthCallbackQuery, oauthConnected, oauthStartBody, oauthStarted } from "../lifecycle-schemas.js";
import { CALLBACK_PATH } from "../oauth/oauth-connector.js";
import { addRoute } from "../service-context.js";

export const oauthSpecs = {
  start: {
    method: "POST",
    url: "/v1/installs/:id/oauth/start",
    summary: "Start the OAuth 2.0 authorization code flow (PKCE) for an oauth2 install: returns the provider's authorization URL.",
    access: "tenant",
    params: idParams,
    body: oauthStartBody,
    response: { 200: oauthStarted },
  },
  callback: {
    method: "GET",
    url: CALLBACK_PATH,
    summary: "Where the provider redirects the browser: exchanges the code, stores the tokens encrypted, answers which install is connected (or redirects to the start's returnTo).",
    access: "public",
    querystring: oauthCallbackQuery,
    response: { 200: oauthConnected, 302: null },
  },
} satisfies Record<string, RouteSpec>;

export async function oauthRoutes(app: FastifyInstance) {
  const { oauth, checkAccount, bundles, store } = app.runtime;
  addRoute<{ params: z.infer<typeof idParams>; body: z.infer<typeof oauthStartBody> | undefined }>(app, oauthSpecs.start, async (request) => {
    const origin = `${request.protocol}://${request.host}`;
    const started = await oauth.start(tenantOf(request), request.params.id, request.body?.returnTo ?? null, origin);
    return { authorizationUrl: started.authorizationUrl, expiresAt: new Date(started.expiresAt).toISOString() };
  });
  addRoute(app, oauthSpecs.callback, async (request, reply) => {
    const { install, returnTo } = await oauth.callback(new URL(request.url, "http://callback.invalid"));
    await checkAccount(install, (await bundles.load(install)).manifest);
    if (returnTo === null) {
      const account = (await store.lifecycle.installLifecycle(install.tenantId, [install.id])).get(install.id)?.account?.account ?? null;
      return { installId: install.id, connected: true, account };
    }
    const target = new URL(returnTo);
    target.searchParams.set("installId", install.id);
    target.searchParams.set("oauth", "connected");
    return reply.redirect(target.href, 302);
  });
}
