/**
 * The token keeper on a real SQLite store and vault against the loopback provider: the pair from
 * a real authorization code exchange, refreshes that coalesce, and the refreshed pair sealed.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { authorizationRequest, exchangeCode, oauthClientFor } from "../../oauth/oauth-client.js";
import { oauthSettingsFromEnv } from "../../oauth/oauth-settings.js";
import { sqliteServiceStore } from "../../service-store/sqlite-service-store.js";
import type { InstallRecord, ServiceStore } from "../../service-store/service-store.js";
import { fakeClock } from "../../storage/fake-clock.js";
import { createVault, vaultKeyId } from "../../vault/credential-vault.js";
import { startFakeOAuthProvider, type FakeOAuthProvider } from "../../../test-support/service/fake-oauth-provider.js";
import { crmManifest } from "../../../test-support/service/crm-integration.js";
import { createOAuthTokens } from "./oauth-tokens.js";

const clock = fakeClock();
let dir: string;
let store: ServiceStore;
let provider: FakeOAuthProvider;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-tokens-"));
  store = sqliteServiceStore(path.join(dir, "store.sqlite"), clock);
  provider = await startFakeOAuthProvider(clock);
});
afterAll(async () => {
  await store.close();
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

it("coalesces concurrent refreshes of one install into one token request and seals the rotated pair", async () => {
  const key = randomBytes(32);
  const vault = createVault({ id: vaultKeyId(key), key });
  const settings = oauthSettingsFromEnv({
    IHUB_OAUTH_GITHUB_CLIENT_ID: provider.clientId,
    IHUB_OAUTH_GITHUB_CLIENT_SECRET: provider.clientSecret,
    IHUB_OAUTH_GITHUB_AUTHORIZATION_URL: `${provider.url}/authorize`,
    IHUB_OAUTH_GITHUB_TOKEN_URL: `${provider.url}/token`,
  });
  const manifest = crmManifest();
  const tenant = { id: randomUUID(), name: "t", createdAt: clock.now(), bindings: {} };
  await store.createTenant(tenant, randomUUID());
  const install: InstallRecord = {
    id: randomUUID(), tenantId: tenant.id, slug: "crm", version: "1.0.0", range: "^1", integrity: "ab".repeat(64), config: {}, bindings: {},
    credentialFields: [], warnings: [], createdAt: clock.now(), updatedAt: clock.now(),
    retentionTier: "short", followRange: false, previous: null, pendingUpgrade: null,
  };
  await store.createInstall(install, null, []);
  const client = oauthClientFor(manifest, settings);
  const redirect = "https://runtime.example.com/v1/oauth/callback";
  const started = await authorizationRequest(client, redirect);
  const pair = await exchangeCode(client, new URL(provider.approve(started.url), "https://runtime.example.com"), started.state, started.verifier, redirect);

  const tokens = createOAuthTokens({ store, vault, clock, settings, log: Fastify().log });
  const connected = await tokens.connect(install, pair);
  expect(connected.credentialFields).toEqual(["accessToken", "refreshToken"]);

  const original = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
  const before = provider.tokenRequests.length;
  const results = await Promise.all(Array.from({ length: 5 }, () => tokens.reauthorize(connected, manifest, original)));
  expect(provider.tokenRequests.slice(before).map((r) => r.grant_type)).toEqual(["refresh_token"]);
  expect(provider.tokenRequests.at(-1)!.refresh_token).toBe(pair.refreshToken);
  const fresh = results[0]!;
  expect(results.every((r) => r === fresh)).toBe(true);
  expect(fresh.accessToken).toBe(provider.accessTokens().at(-1));
  expect(fresh.refreshToken).not.toBe(pair.refreshToken);
  expect(vault.open(install.id, (await store.getCredential(tenant.id, install.id))!)).toEqual(fresh);

  // A caller that read the old token before that refresh ended gets the new one, with no request.
  const requests = provider.tokenRequests.length;
  expect(await tokens.reauthorize(connected, manifest, original)).toEqual(fresh);
  expect(provider.tokenRequests.length).toBe(requests);

  // Once settled, a later 401 to the new token refreshes again with the rotated refresh token.
  const again = await tokens.reauthorize(connected, manifest, fresh);
  expect(provider.tokenRequests.at(-1)!.refresh_token).toBe(fresh.refreshToken);
  expect(again!.accessToken).toBe(provider.accessTokens().at(-1));
});
