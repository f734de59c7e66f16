/**
 * An oauth2 install end to end over the HTTP API: the authorization code flow with PKCE against
 * a loopback provider (real HTTP on 127.0.0.1, named by `auth.provider` with its endpoints
 * overridden through the runtime's settings), tokens sealed at rest, refresh before expiry on a
 * fake clock, once after a 401, coalesced across concurrent runs, and the connected account. The
 * runtime stores on SQLite and on PostgreSQL (a throwaway cluster); provider and clock are shared.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oauthSettingsFromEnv, type OAuthSettings } from "../oauth/oauth-settings.js";
import { fakeClock } from "../storage/fake-clock.js";
import { startFakeOAuthProvider, type FakeOAuthProvider } from "../../test-support/service/fake-oauth-provider.js";
import { CRM_LUA, crmManifest } from "../../test-support/service/crm-integration.js";
import { buildTestRegistry } from "../../test-support/service/test-registry.js";
import { createTenant, startTestRuntime, type TestRuntime } from "../../test-support/service/test-runtime.js";
import { databaseMaker, ENGINES, storeText } from "../../test-support/service/engines.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test-support/throwaway-postgres.js";

const clock = fakeClock();
let dir: string;
let registry: string;
let publicKeyPem: string;
let oauth: OAuthSettings;
let provider: FakeOAuthProvider;
let cluster: ThrowawayPostgres;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-oauth-"));
  [provider, cluster] = await Promise.all([startFakeOAuthProvider(clock), startThrowawayPostgres()]);
  const manifests = [
    crmManifest(),
    crmManifest((m) => {
      m.slug = "crm-slack";
      m.auth = { type: "oauth2", provider: "slack" };
    }),
    crmManifest((m) => {
      m.slug = "crm-key";
      m.auth = { type: "api_key" };
      delete m.connectedAccount;
    }),
  ];
  ({ registry, publicKeyPem } = await buildTestRegistry(dir, manifests, { lua: { crm: CRM_LUA, "crm-slack": CRM_LUA, "crm-key": CRM_LUA } }));
  // The settings as `ihub runtime start` reads them from its environment.
  oauth = oauthSettingsFromEnv({
    IHUB_OAUTH_GITHUB_CLIENT_ID: provider.clientId,
    IHUB_OAUTH_GITHUB_CLIENT_SECRET: provider.clientSecret,
    IHUB_OAUTH_GITHUB_AUTHORIZATION_URL: `${provider.url}/authorize`,
    IHUB_OAUTH_GITHUB_TOKEN_URL: `${provider.url}/token`,
    IHUB_RUNTIME_PUBLIC_URL: "https://runtime.example.com/",
  });
});
afterAll(async () => {
  await provider.close();
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

const freshDatabase = databaseMaker("oauth", () => dir, () => cluster);

describe.each(ENGINES)("on %s", (engine) => {
  let db: string;
  let rt: TestRuntime;
  beforeAll(async () => {
    db = await freshDatabase(engine);
    rt = await startTestRuntime({ dir, registry, publicKeyPem, clock, oauth, db });
  });
  afterAll(async () => {
    await rt?.app.close();
  });

  const callback = async (pathAndQuery: string) => {
    const res = await rt.app.inject({ method: "GET", url: pathAndQuery });
    return { status: res.statusCode, headers: res.headers, body: res.body ? JSON.parse(res.body) : null };
  };

  async function connectedInstall(name: string) {
    const tenant = await createTenant(rt.app, name);
    const created = await tenant.api.post("/v1/installs", { integration: "crm@^1", bindings: { api: { url: provider.url } } });
    expect(created.status).toBe(201);
    const started = await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, {});
    expect(started.status).toBe(200);
    const done = await callback(provider.approve(started.body.authorizationUrl));
    expect(done.status).toBe(200);
    const install = (await tenant.api.get(`/v1/installs/${created.body.id}`)).body;
    return { ...tenant, install, authorizationUrl: started.body.authorizationUrl as string };
  }

  describe("the authorization code flow", () => {
    it("installs without a credential, then connects through the provider with PKCE and shows the connection and account", async () => {
      const tenant = await createTenant(rt.app, "flow");
      const created = await tenant.api.post("/v1/installs", { integration: "crm@^1", bindings: { api: { url: provider.url } } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ credentials: { set: [] }, oauth: null, connectedAccount: null, billing: { totalUsd: 0 } });

      const started = await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, {});
      expect(started.status).toBe(200);
      expect(started.body.expiresAt).toBe(new Date(clock.now() + 10 * 60_000).toISOString());
      const auth = new URL(started.body.authorizationUrl);
      expect(auth.origin + auth.pathname).toBe(`${provider.url}/authorize`);
      const q = Object.fromEntries(auth.searchParams);
      expect(q).toMatchObject({ response_type: "code", client_id: provider.clientId, redirect_uri: "https://runtime.example.com/v1/oauth/callback", scope: "repo read:user", code_challenge_method: "S256" });
      expect(q.state).toMatch(/^[\w-]{20,}$/);
      expect(q.code_challenge).toMatch(/^[\w-]{43}$/);
      expect(JSON.stringify(q)).not.toContain(provider.clientSecret);

      const tokenCalls = provider.tokenRequests.length;
      // Providers add parameters of their own to the redirect (Google: authuser, prompt); they do no harm.
      const done = await callback(`${provider.approve(started.body.authorizationUrl)}&authuser=0&prompt=consent`);
      expect(done.status).toBe(200);
      const exchange = provider.tokenRequests[tokenCalls]!;
      expect(exchange).toMatchObject({ grant_type: "authorization_code", client_id: provider.clientId, client_secret: provider.clientSecret, redirect_uri: q.redirect_uri });
      expect(createHash("sha256").update(exchange.code_verifier!).digest("base64url")).toBe(q.code_challenge);
      // The browser, which needed no token, learns which install is connected and as whom, nothing more.
      expect(done.body).toEqual({ installId: created.body.id, connected: true, account: { id: "4242", name: "Ada Lovelace", email: "ada@example.com", avatarUrl: "https://avatars.example.com/ada.png" } });
      expect((await tenant.api.get(`/v1/installs/${created.body.id}`)).body).toMatchObject({
        id: created.body.id,
        credentials: { set: ["accessToken", "refreshToken"] },
        oauth: { connected: true, connectedAt: new Date(clock.now()).toISOString(), expiresAt: new Date(clock.now() + 3600_000).toISOString(), refreshedAt: null, scope: "repo read:user", lastError: null },
        connectedAccount: { account: { id: "4242", name: "Ada Lovelace", email: "ada@example.com", avatarUrl: "https://avatars.example.com/ada.png" }, error: null },
      });
    });

    it("keeps the tokens sealed at rest and out of every answer", async () => {
      const { api, install } = await connectedInstall("at-rest");
      const [token] = provider.accessTokens().slice(-1);
      const text = await storeText(db);
      expect(text).toContain(install.id);
      expect(text).not.toContain(token);
      expect(JSON.stringify((await api.get(`/v1/installs/${install.id}`)).body)).not.toContain(token);
      const runs = await api.get(`/v1/installs/${install.id}/runs`);
      expect(runs.raw).not.toContain(token);
    });

    it("redirects to the start's returnTo with the install id when one was given", async () => {
      const tenant = await createTenant(rt.app, "return-to");
      const created = await tenant.api.post("/v1/installs", { integration: "crm@^1", bindings: { api: { url: provider.url } } });
      const started = await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, { returnTo: "https://app.example.com/settings?tab=apps" });
      const done = await callback(provider.approve(started.body.authorizationUrl));
      expect(done.status).toBe(302);
      expect(done.headers.location).toBe(`https://app.example.com/settings?tab=apps&installId=${created.body.id}&oauth=connected`);
    });

    it("takes each state once: a replayed callback, an unknown or missing state are refused", async () => {
      const { authorizationUrl } = await connectedInstall("replay");
      const again = await callback(provider.approve(authorizationUrl));
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe("OAUTH_STATE_INVALID");
      expect((await callback("/v1/oauth/callback?code=x&state=forged-state-value")).body.error.code).toBe("OAUTH_STATE_INVALID");
      expect((await callback("/v1/oauth/callback?code=x")).body.error).toMatchObject({ code: "OAUTH_STATE_INVALID", hint: expect.stringContaining("oauth/start") });
    });

    it("refuses hostile start bodies and callback queries before touching any state", async () => {
      const tenant = await createTenant(rt.app, "hostile");
      const created = await tenant.api.post("/v1/installs", { integration: "crm@^1", bindings: { api: { url: provider.url } } });
      for (const returnTo of ["javascript:alert(1)", "ftp://files.example.com/", "not a url", "https://" + "a".repeat(2100) + ".example.com"]) {
        const res = await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, { returnTo });
        expect(res.status, returnTo.slice(0, 30)).toBe(400);
        expect(res.body.error).toMatchObject({ code: "INVALID_REQUEST", pointer: "/returnTo" });
      }
      expect((await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, { returnTo: "https://a.example.com", extra: 1 })).status).toBe(400);
      for (const query of [`state=${"s".repeat(600)}&code=x`, `state=x&code=${"c".repeat(5000)}`]) {
        const res = await callback(`/v1/oauth/callback?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("INVALID_REQUEST");
      }
    });

    it("lets a state expire after ten minutes on the clock", async () => {
      const tenant = await createTenant(rt.app, "expiry");
      const created = await tenant.api.post("/v1/installs", { integration: "crm@^1", bindings: { api: { url: provider.url } } });
      const started = await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, {});
      clock.advance(10 * 60_000);
      const late = await callback(provider.approve(started.body.authorizationUrl));
      expect(late.body.error.code).toBe("OAUTH_STATE_INVALID");
      expect((await tenant.api.get(`/v1/installs/${created.body.id}`)).body.oauth).toBeNull();
    });

    it("answers a declined authorization, a refused code and a tampered callback with typed errors, storing nothing", async () => {
      const tenant = await createTenant(rt.app, "refusals");
      const created = await tenant.api.post("/v1/installs", { integration: "crm@^1", bindings: { api: { url: provider.url } } });
      const start = async () => (await tenant.api.post(`/v1/installs/${created.body.id}/oauth/start`, {})).body.authorizationUrl as string;
      const declined = await callback(provider.decline(await start()));
      expect(declined.status).toBe(400);
      expect(declined.body.error).toMatchObject({ code: "OAUTH_DENIED", message: expect.stringContaining("access_denied") });
      const approved = new URL(provider.approve(await start()), "http://x");
      approved.searchParams.set("code", "code-never-issued");
      const refused = await callback(approved.pathname + approved.search);
      expect(refused.status).toBe(502);
      expect(refused.body.error).toMatchObject({ code: "OAUTH_TOKEN_REFUSED", message: expect.stringContaining("invalid_grant") });
      expect(JSON.stringify(refused.body)).not.toContain(provider.clientSecret);
      expect((await tenant.api.get(`/v1/installs/${created.body.id}`)).body).toMatchObject({ oauth: null, credentials: { set: [] } });
    });

    it("binds the start to the caller's tenant: another tenant's install is not found", async () => {
      const { install } = await connectedInstall("owner");
      const other = await createTenant(rt.app, "other");
      const res = await other.api.post(`/v1/installs/${install.id}/oauth/start`, {});
      expect(res.status).toBe(404);
    });

    it("refuses to start for an integration that is not oauth2, or whose provider this runtime has no client for", async () => {
      const tenant = await createTenant(rt.app, "unconfigured");
      const slack = await tenant.api.post("/v1/installs", { integration: "crm-slack@^1", bindings: { api: { url: provider.url } } });
      const res = await tenant.api.post(`/v1/installs/${slack.body.id}/oauth/start`, {});
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: "OAUTH_NOT_CONFIGURED", hint: expect.stringContaining("IHUB_OAUTH_SLACK_CLIENT_ID") });
      const key = await tenant.api.post("/v1/installs", { integration: "crm-key@^1", bindings: { api: { url: provider.url } }, credentials: { apiKey: "key-value-1234" } });
      expect((await tenant.api.post(`/v1/installs/${key.body.id}/oauth/start`, {})).body.error.code).toBe("OAUTH_NOT_OAUTH2");
    });
  });

  describe("an oauth2 install over time", () => {
    it("keeps working past its token's expiry: refreshed before the run, the new token stored and used", async () => {
      const { api, install } = await connectedInstall("past-expiry");
      const first = provider.accessTokens().at(-1)!;
      expect((await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "n1" } })).body.output).toEqual({ id: "n1", title: "Title of n1" });
      expect(provider.apiAuthorizations.at(-1)).toBe(`Bearer ${first}`);

      const refreshes = provider.tokenRequests.filter((r) => r.grant_type === "refresh_token").length;
      clock.advance(3600_000 + 1000);
      const late = await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "n2" } });
      expect(late.status).toBe(200);
      const refreshRequests = provider.tokenRequests.filter((r) => r.grant_type === "refresh_token");
      expect(refreshRequests).toHaveLength(refreshes + 1);
      expect(refreshRequests.at(-1)).toMatchObject({ client_id: provider.clientId, refresh_token: expect.stringMatching(/^rt-/) });
      const second = provider.accessTokens().at(-1)!;
      expect(second).not.toBe(first);
      expect(provider.apiAuthorizations.at(-1)).toBe(`Bearer ${second}`);
      // The expired token was never sent: the refresh came first.
      expect(provider.apiAuthorizations.filter((a) => a === `Bearer ${first}`)).toHaveLength(2);
      expect((await api.get(`/v1/installs/${install.id}`)).body.oauth).toMatchObject({ refreshedAt: new Date(clock.now()).toISOString(), expiresAt: new Date(clock.now() + 3600_000).toISOString(), lastError: null });

      // Another day later, the rotated refresh token is the one that works.
      clock.advance(24 * 3600_000);
      expect((await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "n3" } })).status).toBe(200);
      expect(provider.apiAuthorizations.at(-1)).toBe(`Bearer ${provider.accessTokens().at(-1)}`);
    });

    it("refreshes once when the API answers 401 before the token's expiry, and sends the call again", async () => {
      const { api, install } = await connectedInstall("revoked");
      provider.revoke(provider.accessTokens().at(-1)!);
      const before = provider.tokenRequests.length;
      const res = await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "n4" } });
      expect(res.status).toBe(200);
      expect(provider.tokenRequests.slice(before).map((r) => r.grant_type)).toEqual(["refresh_token"]);
      expect(provider.apiAuthorizations.slice(-2).map((a) => a.slice(0, 10))).toEqual(["Bearer at-", "Bearer at-"]);
      expect(provider.apiAuthorizations.at(-1)).toBe(`Bearer ${provider.accessTokens().at(-1)}`);
    });

    it("serves concurrent runs on an expired token with one token request", async () => {
      const { api, install } = await connectedInstall("coalesce");
      clock.advance(3600_000);
      const before = provider.tokenRequests.length;
      const release = provider.holdTokens();
      const calls = Array.from({ length: 5 }, (_, i) => api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: `c${i}` } }));
      while (provider.tokenRequests.length === before) await new Promise((r) => setImmediate(r));
      release();
      expect((await Promise.all(calls)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(provider.tokenRequests.slice(before).map((r) => r.grant_type)).toEqual(["refresh_token"]);
    });

    it("shows a refused refresh on the install, lets the handler see the 401 and does not ask again until reconnected", async () => {
      const { api, install } = await connectedInstall("dead-refresh");
      provider.forgetRefreshTokens();
      clock.advance(3600_000);
      const before = provider.tokenRequests.length;
      const res = await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "x" } });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: "API_REFUSED", message: "the API answered 401" });
      const view = (await api.get(`/v1/installs/${install.id}`)).body;
      expect(view.oauth.lastError).toMatchObject({ code: "OAUTH_TOKEN_REFUSED", message: expect.stringContaining("invalid_grant"), at: new Date(clock.now()).toISOString() });
      expect((await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "y" } })).status).toBe(422);
      expect(provider.tokenRequests.slice(before).map((r) => r.grant_type)).toEqual(["refresh_token"]);

      const started = await api.post(`/v1/installs/${install.id}/oauth/start`, {});
      expect((await callback(provider.approve(started.body.authorizationUrl))).status).toBe(200);
      expect((await api.get(`/v1/installs/${install.id}`)).body.oauth.lastError).toBeNull();
      expect((await api.post(`/v1/installs/${install.id}/rpc/lookup`, { input: { id: "z" } })).status).toBe(200);
    });

    it("forgets the connection when a credential is set by hand", async () => {
      const { api, install } = await connectedInstall("by-hand");
      const patched = await api.patch(`/v1/installs/${install.id}`, { credentials: { accessToken: provider.accessTokens().at(-1) } });
      expect(patched.body).toMatchObject({ oauth: null, credentials: { set: ["accessToken"] }, connectedAccount: { account: { id: "4242" } } });
    });
  });
});
