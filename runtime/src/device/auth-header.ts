/**
 * The header the host injects into every ctx.device.http call, built from the install's
 * credentials per the manifest's `auth`. Handlers never see it.
 */
import type { Auth } from "../manifest/manifest-schema.js";
import { DeviceError } from "./device-error.js";

export type AuthHeader = { name: string; value: string };

/** Credential property names tried in order for each auth type, before falling back to the manifest's secret field. */
const SECRET_NAMES: Record<Exclude<Auth["type"], "none" | "basic">, readonly string[]> = {
  bearer_token: ["token", "bearerToken", "bearer_token", "accessToken", "access_token"],
  api_key: ["apiKey", "api_key", "key", "token"],
  oauth2: ["accessToken", "access_token", "token"],
};
const DEFAULT_PREFIX: Record<Exclude<Auth["type"], "none">, string> = { bearer_token: "Bearer ", api_key: "", oauth2: "Bearer ", basic: "Basic " };

function stringProp(credentials: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const n of names) if (typeof credentials[n] === "string" && credentials[n] !== "") return credentials[n] as string;
  return undefined;
}

/** The single property `auth.fields` marks `format: password`, when there is exactly one. */
function declaredSecretField(auth: Auth): string | undefined {
  const props = (auth.fields?.properties ?? {}) as Record<string, { format?: unknown }>;
  const secret = Object.entries(props).filter(([, s]) => s && typeof s === "object" && s.format === "password");
  return secret.length === 1 ? secret[0]![0] : undefined;
}

export function buildAuthHeader(auth: Auth, credentials: Record<string, unknown>): AuthHeader | null {
  if (auth.type === "none") return null;
  const name = auth.authHeaderName ?? "Authorization";
  const prefix = auth.authValuePrefix ?? DEFAULT_PREFIX[auth.type];
  let secret: string | undefined;
  if (auth.type === "basic") {
    const user = stringProp(credentials, ["username", "user"]);
    const pass = typeof credentials.password === "string" ? credentials.password : undefined;
    if (user !== undefined && pass !== undefined) secret = Buffer.from(`${user}:${pass}`, "utf8").toString("base64");
  } else {
    const field = declaredSecretField(auth);
    secret = stringProp(credentials, field ? [field, ...SECRET_NAMES[auth.type]] : SECRET_NAMES[auth.type]);
  }
  if (secret === undefined) {
    const expected = auth.type === "basic" ? "username and password" : (declaredSecretField(auth) ?? SECRET_NAMES[auth.type].join(" or "));
    throw new DeviceError("CREDENTIALS_MISSING", `auth.type is ${auth.type} but the install's credentials have no ${expected}`);
  }
  const value = prefix + secret;
  if (/[\r\n\u0000]/.test(value)) throw new DeviceError("CREDENTIALS_MISSING", "the install's credential contains a line break and cannot be sent in a header");
  return { name, value };
}
