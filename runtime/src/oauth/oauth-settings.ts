/**
 * The runtime's OAuth settings: the client id and secret registered with each provider (or, for
 * an integration that spells out its own endpoints, with that integration's service), endpoint
 * overrides, and the public URL the provider redirects back to. They come from the environment of
 * `ihub runtime start`, never from a bundle:
 *
 *   IHUB_OAUTH_<NAME>_CLIENT_ID, IHUB_OAUTH_<NAME>_CLIENT_SECRET,
 *   IHUB_OAUTH_<NAME>_AUTHORIZATION_URL, IHUB_OAUTH_<NAME>_TOKEN_URL
 *
 * where NAME is the provider (GITHUB, SLACK, …) or the integration's slug in upper case with `_`
 * for `-` (ACME_TICKETS). Overrides serve tests and sovereign clouds (a GitHub Enterprise host,
 * Salesforce sandboxes at test.salesforce.com).
 */
import { OAuthError } from "./oauth-error.js";

export type OAuthClientSetting = { clientId?: string; clientSecret?: string; authorizationUrl?: string; tokenUrl?: string };
export type OAuthSettings = {
  /** Origin the provider redirects the browser to (`<publicUrl>/v1/oauth/callback`); by default the origin the start request came to. */
  publicUrl?: string;
  /** By setting name (see settingName). */
  clients: Record<string, OAuthClientSetting>;
};

const ENV = /^IHUB_OAUTH_([A-Z0-9_]+?)_(CLIENT_ID|CLIENT_SECRET|AUTHORIZATION_URL|TOKEN_URL)$/;
const FIELD = { CLIENT_ID: "clientId", CLIENT_SECRET: "clientSecret", AUTHORIZATION_URL: "authorizationUrl", TOKEN_URL: "tokenUrl" } as const;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The NAME a provider or slug goes by in the environment. */
export const settingName = (providerOrSlug: string) => providerOrSlug.toUpperCase().replace(/-/g, "_");

/** Whether an endpoint may be spoken to over plain http: only on this machine. */
export const isLoopback = (url: URL) => LOOPBACK.has(url.hostname);

/** An endpoint the runtime will send client secrets and codes to: https, or http on loopback only. */
export function checkedEndpoint(what: string, value: string): string {
  if (!URL.canParse(value)) throw new OAuthError("OAUTH_SETTING_INVALID", `${what} is not a URL`, "Give an absolute https URL.");
  const url = new URL(value);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url))) {
    throw new OAuthError("OAUTH_SETTING_INVALID", `${what} must use https (plain http only on 127.0.0.1 or localhost)`, "Client secrets and codes must not cross the network in clear text.");
  }
  return value;
}

export function oauthSettingsFromEnv(env: NodeJS.ProcessEnv, publicUrl?: string): OAuthSettings {
  const clients: Record<string, OAuthClientSetting> = {};
  for (const [name, value] of Object.entries(env)) {
    const m = ENV.exec(name);
    if (!m || value === undefined || value === "") continue;
    const field = FIELD[m[2] as keyof typeof FIELD];
    const client = (clients[m[1]!] ??= {});
    client[field] = field === "authorizationUrl" || field === "tokenUrl" ? checkedEndpoint(name, value) : value;
  }
  const url = publicUrl ?? env.IHUB_RUNTIME_PUBLIC_URL;
  if (url !== undefined && url !== "") {
    checkedEndpoint(publicUrl !== undefined ? "--public-url" : "IHUB_RUNTIME_PUBLIC_URL", url);
    return { publicUrl: url.replace(/\/+$/, ""), clients };
  }
  return { clients };
}
