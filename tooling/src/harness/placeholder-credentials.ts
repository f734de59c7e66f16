/**
 * Credentials for a case that gives none, so the host can inject an auth header and a case
 * about behaviour need not carry a fake token. Every string property of `auth.fields` gets
 * `test-<name>`; without declared fields the names the auth type reads are used. A case that
 * wants to see the missing-credentials error passes `credentials: {}`.
 */
import type { Auth } from "@ihub/runtime/manifest";

const FALLBACK: Record<Auth["type"], string[]> = { none: [], basic: ["username", "password"], bearer_token: ["token"], api_key: ["apiKey"], oauth2: ["accessToken"] };

export function placeholderCredentials(auth: Auth): Record<string, string> {
  if (auth.type === "none") return {};
  const props = (auth.fields?.properties ?? {}) as Record<string, { type?: unknown } | undefined>;
  const declared = Object.keys(props).filter((name) => props[name]?.type === undefined || props[name]?.type === "string");
  return Object.fromEntries((declared.length > 0 ? declared : FALLBACK[auth.type]).map((name) => [name, `test-${name}`]));
}
