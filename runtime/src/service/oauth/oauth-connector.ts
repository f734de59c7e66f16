/**
 * POST /v1/installs/:id/oauth/start and GET /v1/oauth/callback behind the routes. A start stores
 * the state's hash with the install and tenant it is for, the sealed PKCE verifier and an expiry;
 * the callback takes that record (once: a replayed callback finds nothing), checks the answer
 * against it with oauth4webapi, exchanges the code and stores the tokens.
 */
import { createHash } from "node:crypto";
import { authorizationRequest, exchangeCode, oauthClientFor } from "../../oauth/oauth-client.js";
import { OAuthError } from "../../oauth/oauth-error.js";
import type { OAuthSettings } from "../../oauth/oauth-settings.js";
import type { InstallRecord, ServiceStore } from "../../service-store/service-store.js";
import type { Clock } from "../../storage/install-store.js";
import type { Vault } from "../../vault/credential-vault.js";
import type { BundleLoader } from "../bundle-loader.js";
import type { InstallManager } from "../install-manager.js";
import type { OAuthTokens } from "./oauth-tokens.js";

/** How long a started authorization waits for its callback. */
export const AUTHORIZATION_TTL_MS = 10 * 60_000;
export const CALLBACK_PATH = "/v1/oauth/callback";

type Deps = { store: ServiceStore; installs: InstallManager; bundles: BundleLoader; vault: Vault; clock: Clock; settings: OAuthSettings; tokens: OAuthTokens };

const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

export function createOAuthConnector(deps: Deps) {
  const { store, vault, clock } = deps;
  return {
    /** The provider's authorization URL for the install; `origin` is where this runtime was reached, used when no public URL is set. */
    async start(tenantId: string, installId: string, returnTo: string | null, origin: string): Promise<{ authorizationUrl: string; expiresAt: number }> {
      const install = await deps.installs.get(tenantId, installId);
      const { manifest } = await deps.bundles.load(install);
      const client = oauthClientFor(manifest, deps.settings);
      const redirectUri = `${deps.settings.publicUrl ?? origin}${CALLBACK_PATH}`;
      const request = await authorizationRequest(client, redirectUri);
      const expiresAt = clock.now() + AUTHORIZATION_TTL_MS;
      await store.lifecycle.savePendingAuthorization({
        stateHash: hashState(request.state), tenantId, installId, verifier: vault.seal(installId, { verifier: request.verifier }), redirectUri, returnTo, expiresAt,
      });
      return { authorizationUrl: request.url, expiresAt };
    },

    /** Completes the authorization the callback URL answers; returns the install with its new credential and where to send the browser. */
    async callback(callback: URL): Promise<{ install: InstallRecord; returnTo: string | null }> {
      const state = callback.searchParams.get("state");
      if (!state) throw new OAuthError("OAUTH_STATE_INVALID", "the callback carries no state", "Start the connection again with POST /v1/installs/:id/oauth/start.");
      const pending = await store.lifecycle.takePendingAuthorization(hashState(state), clock.now());
      if (!pending) throw new OAuthError("OAUTH_STATE_INVALID", "the callback's state is unknown, used already or expired", "Start the connection again with POST /v1/installs/:id/oauth/start.");
      const install = await store.getInstall(pending.tenantId, pending.installId);
      if (!install) throw new OAuthError("OAUTH_STATE_INVALID", "the install this authorization was started for no longer exists", "Install the integration again.");
      const { manifest } = await deps.bundles.load(install);
      const { verifier } = vault.open(install.id, pending.verifier) as { verifier: string | null };
      const tokens = await exchangeCode(oauthClientFor(manifest, deps.settings), callback, state, verifier, pending.redirectUri);
      return { install: await deps.tokens.connect(install, tokens), returnTo: pending.returnTo };
    },
  };
}

export type OAuthConnector = ReturnType<typeof createOAuthConnector>;
