/**
 * An OAuth install's tokens over time: stored sealed when it connects, refreshed before they
 * expire (ahead of a run) and once when a device call answers 401, the refreshed pair stored
 * again. Refreshes of one install coalesce, so a burst of runs on an expired token makes one
 * request to the token endpoint, and a refresh token a provider rotates is never spent twice.
 *
 * Only the tokens are sealed in the credential (every string in it is redacted from logs); the
 * expiry, scope and last error are facts of the connection (LifecycleStore).
 */
import type { FastifyBaseLogger } from "fastify";
import type { Manifest } from "../../manifest/manifest-schema.js";
import { oauthClientFor, refreshTokens, type TokenSet } from "../../oauth/oauth-client.js";
import type { OAuthSettings } from "../../oauth/oauth-settings.js";
import type { OAuthConnection } from "../../service-store/lifecycle-store.js";
import type { InstallRecord, ServiceStore } from "../../service-store/service-store.js";
import type { Clock } from "../../storage/install-store.js";
import type { SealedCredential, Vault } from "../../vault/credential-vault.js";

/** A token this close to its expiry is refreshed before a run rather than sent and refused. */
export const REFRESH_MARGIN_MS = 60_000;

type Deps = { store: ServiceStore; vault: Vault; clock: Clock; settings: OAuthSettings; log: FastifyBaseLogger };
type Credentials = Record<string, unknown>;

const expiry = (now: number, t: TokenSet) => (t.expiresIn === null ? null : now + t.expiresIn * 1000);

export function createOAuthTokens(deps: Deps) {
  const { store, vault, clock } = deps;
  const refreshing = new Map<string, Promise<Credentials | null>>();

  async function refresh(install: InstallRecord, manifest: Manifest, stale: Credentials): Promise<Credentials | null> {
    const log = deps.log.child({ installId: install.id });
    // Read again: another refresh or a PATCH may have replaced what the caller holds.
    const before: SealedCredential | null = await store.getCredential(install.tenantId, install.id);
    const connection = await store.lifecycle.getOAuthConnection(install.id);
    if (!before || !connection) return null;
    // A refresh token the provider refused stays refused: asking again each run would only hammer it. Connecting again clears this.
    if (connection.lastError?.code === "OAUTH_TOKEN_REFUSED") return null;
    const current = vault.open(install.id, before);
    // A refresh that ended between the caller's read and now already replaced the token it found
    // stale: use that one rather than asking the provider again.
    if (current.accessToken !== stale.accessToken) return current;
    if (typeof current.refreshToken !== "string" || current.refreshToken === "") return null;
    const now = clock.now();
    try {
      const tokens = await refreshTokens(oauthClientFor(manifest, deps.settings), current.refreshToken);
      // A provider that does not rotate refresh tokens answers without one: the old one stays good.
      const next: Credentials = { ...current, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? current.refreshToken };
      // If a PATCH replaced the credential meanwhile, it wins; this run still uses the token it got.
      await store.resealCredential(install.id, before, vault.seal(install.id, next));
      await store.lifecycle.setOAuthConnection(install.id, { ...connection, expiresAt: expiry(now, tokens), refreshedAt: now, scope: tokens.scope ?? connection.scope, lastError: null });
      log.info({ expiresIn: tokens.expiresIn }, "oauth token refreshed");
      return next;
    } catch (error) {
      const e = error as { code?: string; message: string };
      await store.lifecycle.setOAuthConnection(install.id, { ...connection, lastError: { code: e.code ?? "INTERNAL", message: e.message, at: now } });
      log.warn({ code: e.code }, `oauth token refresh failed: ${e.message}`);
      return null;
    }
  }

  /**
   * One refresh per install at a time; callers arriving meanwhile share its outcome, and callers
   * arriving after it ended get its token (`stale` is the credential the caller found wanting).
   */
  function refreshOnce(install: InstallRecord, manifest: Manifest, stale: Credentials): Promise<Credentials | null> {
    let pending = refreshing.get(install.id);
    if (!pending) {
      pending = refresh(install, manifest, stale).finally(() => refreshing.delete(install.id));
      refreshing.set(install.id, pending);
    }
    return pending;
  }

  return {
    /** The credentials to run with: refreshed first when the access token expires within REFRESH_MARGIN_MS. */
    async fresh(install: InstallRecord, manifest: Manifest, credentials: Credentials): Promise<Credentials> {
      if (typeof credentials.refreshToken !== "string") return credentials;
      const connection = await store.lifecycle.getOAuthConnection(install.id);
      if (!connection || connection.expiresAt === null || connection.expiresAt - clock.now() > REFRESH_MARGIN_MS) return credentials;
      return (await refreshOnce(install, manifest, credentials)) ?? credentials;
    },

    /** After a device call answered 401 to `credentials`: refreshed ones, or null when there is no refresh token or the provider refused. */
    reauthorize: refreshOnce,

    /** Stores the tokens of a completed authorization as the install's credential; returns the install as stored. */
    async connect(install: InstallRecord, tokens: TokenSet): Promise<InstallRecord> {
      const now = clock.now();
      const credential: Credentials = { accessToken: tokens.accessToken, ...(tokens.refreshToken !== null ? { refreshToken: tokens.refreshToken } : {}) };
      const next: InstallRecord = { ...install, credentialFields: Object.keys(credential).sort(), updatedAt: now };
      await store.updateInstall(next, vault.seal(install.id, credential));
      const connection: OAuthConnection = { connectedAt: now, expiresAt: expiry(now, tokens), refreshedAt: null, scope: tokens.scope, lastError: null };
      await store.lifecycle.setOAuthConnection(install.id, connection);
      return next;
    },
  };
}

export type OAuthTokens = ReturnType<typeof createOAuthTokens>;
