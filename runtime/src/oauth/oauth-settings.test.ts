/** The OAuth settings read from the environment, the built-in providers and how a manifest's client is resolved. */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Manifest } from "../manifest/manifest-schema.js";
import { notesManifest } from "../../test-support/service/notes-integration.js";
import { oauthClientFor } from "./oauth-client.js";
import { OAUTH_PROVIDERS } from "./oauth-providers.js";
import { oauthSettingsFromEnv } from "./oauth-settings.js";

const manifest = (auth: Manifest["auth"]) => notesManifest("1.0.0", (m) => ((m.slug = "acme-tickets"), (m.auth = auth)));

describe("the built-in providers", () => {
  it("cover the providers the runtime promises, each with https endpoints", () => {
    expect(Object.keys(OAUTH_PROVIDERS)).toEqual(expect.arrayContaining(["github", "slack", "google", "microsoft", "atlassian", "hubspot", "salesforce"]));
    for (const p of Object.values(OAUTH_PROVIDERS)) {
      expect(new URL(p.authorizationUrl).protocol).toBe("https:");
      expect(new URL(p.tokenUrl).protocol).toBe("https:");
    }
  });

  it("are the table docs/oauth.md shows", async () => {
    const doc = await readFile(new URL("../../../docs/oauth.md", import.meta.url), "utf8");
    const table = doc.slice(doc.indexOf("<!-- oauth-providers:start -->"), doc.indexOf("<!-- oauth-providers:end -->"));
    const rows = table.split("\n").filter((l) => l.startsWith("| `"));
    const expected = Object.entries(OAUTH_PROVIDERS).map(([name, p]) => {
      const params = "authorizationParams" in p ? Object.entries(p.authorizationParams).map(([k, v]) => `\`${k}=${v}\``).join(", ") : "—";
      return `| \`${name}\` | ${p.authorizationUrl} | ${p.tokenUrl} | ${p.pkce ? "yes" : "no"} | ${p.scopeSeparator === " " ? "space" : `\`${p.scopeSeparator}\``} | ${params} |`;
    });
    expect(rows).toEqual(expected);
  });
});

describe("oauthSettingsFromEnv", () => {
  it("reads client, secret and endpoint overrides per provider or slug, and the public URL", () => {
    const s = oauthSettingsFromEnv({
      IHUB_OAUTH_GITHUB_CLIENT_ID: "gh-id",
      IHUB_OAUTH_GITHUB_CLIENT_SECRET: "gh-secret",
      IHUB_OAUTH_ACME_TICKETS_CLIENT_ID: "acme-id",
      IHUB_OAUTH_ACME_TICKETS_TOKEN_URL: "http://127.0.0.1:9/token",
      IHUB_OAUTH_SLACK_CLIENT_ID: "",
      IHUB_OAUTH_BROKEN: "ignored",
      IHUB_RUNTIME_PUBLIC_URL: "https://runtime.example.com/base/",
    });
    expect(s).toEqual({
      publicUrl: "https://runtime.example.com/base",
      clients: { GITHUB: { clientId: "gh-id", clientSecret: "gh-secret" }, ACME_TICKETS: { clientId: "acme-id", tokenUrl: "http://127.0.0.1:9/token" } },
    });
    expect(oauthSettingsFromEnv({ IHUB_RUNTIME_PUBLIC_URL: "https://a.example.com" }, "https://b.example.com").publicUrl).toBe("https://b.example.com");
  });

  it.each([
    [{ IHUB_OAUTH_GITHUB_TOKEN_URL: "http://evil.example.com/token" }, "IHUB_OAUTH_GITHUB_TOKEN_URL must use https"],
    [{ IHUB_OAUTH_GITHUB_AUTHORIZATION_URL: "not a url" }, "IHUB_OAUTH_GITHUB_AUTHORIZATION_URL is not a URL"],
    [{ IHUB_RUNTIME_PUBLIC_URL: "http://runtime.example.com" }, "IHUB_RUNTIME_PUBLIC_URL must use https"],
    [{ IHUB_OAUTH_GITHUB_TOKEN_URL: "file:///etc/passwd" }, "must use https"],
  ])("refuses %j as OAUTH_SETTING_INVALID", (env, message) => {
    expect(() => oauthSettingsFromEnv(env)).toThrow(expect.objectContaining({ code: "OAUTH_SETTING_INVALID", message: expect.stringContaining(message) }));
  });
});

describe("oauthClientFor", () => {
  const settings = oauthSettingsFromEnv({ IHUB_OAUTH_GOOGLE_CLIENT_ID: "g-id", IHUB_OAUTH_ACME_TICKETS_CLIENT_ID: "a-id", IHUB_OAUTH_ACME_TICKETS_CLIENT_SECRET: "a-secret" });

  it("takes a named provider's endpoints and extra authorization parameters", () => {
    const c = oauthClientFor(manifest({ type: "oauth2", provider: "google", scopes: ["email"] }), settings);
    expect(c).toEqual({
      name: "google",
      endpoints: { ...OAUTH_PROVIDERS.google, refreshUrl: OAUTH_PROVIDERS.google.tokenUrl },
      clientId: "g-id",
      clientSecret: null,
      scopes: ["email"],
    });
  });

  it("takes a manifest's own endpoints under its slug, refreshUrl and pkce included", () => {
    const c = oauthClientFor(
      manifest({ type: "oauth2", oauth2: { authorizationUrl: "https://acme.example.com/auth", tokenUrl: "https://acme.example.com/token", refreshUrl: "https://acme.example.com/refresh", pkce: false, scopeSeparator: "," } }),
      settings,
    );
    expect(c).toMatchObject({ name: "acme-tickets", clientId: "a-id", clientSecret: "a-secret", endpoints: { pkce: false, scopeSeparator: ",", refreshUrl: "https://acme.example.com/refresh" } });
  });

  it("refuses an integration that is not oauth2 or has no client configured", () => {
    expect(() => oauthClientFor(manifest({ type: "api_key" }), settings)).toThrow(expect.objectContaining({ code: "OAUTH_NOT_OAUTH2" }));
    expect(() => oauthClientFor(manifest({ type: "oauth2", provider: "hubspot" }), settings)).toThrow(
      expect.objectContaining({ code: "OAUTH_NOT_CONFIGURED", hint: expect.stringContaining("IHUB_OAUTH_HUBSPOT_CLIENT_ID") }),
    );
  });
});
