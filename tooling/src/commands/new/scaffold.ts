/**
 * The files of a new integration, as a pure plan: slug, name and auth type in, relative path ->
 * text out. Writing them is the command's job (index.ts). Everything here passes `ihub validate`
 * as it stands and `ihub test` runs its one case, so a contributor starts from green.
 */
import type { Manifest } from "@ihub/runtime/manifest";
import type { TestCase } from "../../harness/test-case-schema.js";
import { MANIFEST_FILE } from "@ihub/runtime/layout";

export const AUTH_TYPES = ["none", "api_key", "bearer_token", "oauth2", "basic"] as const satisfies readonly Manifest["auth"]["type"][];
export type AuthType = (typeof AUTH_TYPES)[number];

export const FIRST_VERSION = "0.1.0";
const HANDLER_FILE = "handlers/items.lua";
const password = (description: string) => ({ type: "string", format: "password", minLength: 1, description });

/** The auth block for each type, with the credential fields a real service of that kind asks for. */
const AUTH: Record<AuthType, Manifest["auth"]> = {
  none: { type: "none" },
  api_key: {
    type: "api_key",
    fields: { type: "object", properties: { apiKey: password("API key from the service's settings page.") }, required: ["apiKey"], additionalProperties: false },
    authHeaderName: "X-Api-Key",
  },
  bearer_token: {
    type: "bearer_token",
    fields: { type: "object", properties: { token: password("Access token.") }, required: ["token"], additionalProperties: false },
    authValuePrefix: "Bearer ",
  },
  oauth2: {
    type: "oauth2",
    fields: {
      type: "object",
      properties: { accessToken: password("Access token from the OAuth exchange."), refreshToken: password("Refresh token, when the service issues one.") },
      required: ["accessToken"],
      additionalProperties: false,
    },
    scopes: ["items:read"],
    authValuePrefix: "Bearer ",
    oauth2: { authorizationUrl: "https://api.example.com/oauth/authorize", tokenUrl: "https://api.example.com/oauth/token", pkce: true },
  },
  basic: {
    type: "basic",
    fields: {
      type: "object",
      properties: { username: { type: "string", minLength: 1, description: "User name or account id." }, password: password("Password or API token.") },
      required: ["username", "password"],
      additionalProperties: false,
    },
  },
};

/** `acme-billing` -> `Acme Billing`. */
export function defaultName(slug: string): string {
  return slug
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

function manifest(slug: string, name: string, auth: AuthType): Manifest {
  return {
    $schema: "../../schemas/integration.schema.json",
    slug,
    name,
    description: `Reads items from the ${name} API.`,
    version: FIRST_VERSION,
    publisher: "TODO: your name or organisation",
    trustTier: "community",
    visibility: "private",
    categories: ["other"],
    icon: "icon.svg",
    retentionTier: "none",
    auth: AUTH[auth],
    resources: { api: { kind: "http", description: `Base URL of the ${name} API, e.g. https://api.example.com.` } },
    permissions: { device: { api: { methods: ["GET"], maxCalls: 5 } } },
    handlers: {
      get_item: {
        type: "rpc",
        file: HANDLER_FILE,
        function: "get_item",
        displayName: "Get item",
        description: "Fetches one item by id.",
        timeoutMs: 10000,
        inputSchema: { type: "object", properties: { id: { type: "string", minLength: 1, description: "Item id." } }, required: ["id"], additionalProperties: false },
        outputSchema: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, required: ["id", "name"], additionalProperties: false },
      },
    },
  };
}

const HANDLER_LUA = `-- Handlers get ctx (device calls, cache, containers, log, emit) and the validated input.
-- The runtime adds the credential to device calls itself: handlers never see the secret.
local M = {}

function M.get_item(ctx, input)
  -- The id travels as a query parameter, which the runtime encodes; concatenated into the path
  -- it could carry "../" or "?" to another endpoint (validate warns, IH116).
  local res = ctx.device.http("api", { method = "GET", path = "/items", query = { id = input.id } })
  if res.status == 404 then
    error({ code = "not_found", message = "no item " .. input.id })
  end
  if res.status >= 400 then
    error({ code = "upstream_error", message = "the API answered " .. res.status })
  end
  ctx.log.info("item read", { id = input.id })
  return { id = res.json.id, name = res.json.name }
end

return M
`;

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="96" fill="#3b5bdb"/>
  <circle cx="256" cy="256" r="120" fill="#fff"/>
</svg>
`;

function readme(name: string, auth: AuthType): string {
  const authText: Record<AuthType, string> = {
    none: "None: the API is called without credentials.",
    api_key: "API key (`apiKey`), sent by the runtime in the `X-Api-Key` header.",
    bearer_token: "Bearer token (`token`), sent by the runtime as `Authorization: Bearer <token>`.",
    oauth2: "OAuth 2.0 (authorization code with PKCE); the runtime sends the access token as a bearer token.",
    basic: "HTTP Basic: `username` and `password`, sent by the runtime in the `Authorization` header.",
  };
  return `# ${name}

TODO: what the integration does and which API it calls.

## Auth

${authText[auth]}

## Resources

- \`api\` (http): base URL of the ${name} API.

## Handlers

### get_item (rpc)

Fetches one item by id.

- Input: \`{ "id": string }\`
- Output: \`{ "id": string, "name": string }\`
- Errors: \`not_found\` when the API answers 404, \`upstream_error\` for other failures.
`;
}

function testCase(): TestCase {
  return {
    $schema: "../../../schemas/integration-test.schema.json",
    name: "an item is fetched by id",
    handler: "get_item",
    input: { id: "it_1" },
    fixtures: { http: [{ alias: "api", request: { method: "GET", path: "/items", query: { id: "it_1" } }, response: { status: 200, json: { id: "it_1", name: "First item" } } }] },
    expect: { output: { id: "it_1", name: "First item" }, requests: 1 },
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

export function scaffoldFiles(slug: string, opts: { name?: string; auth?: AuthType } = {}): Record<string, string> {
  const name = opts.name ?? defaultName(slug);
  const auth = opts.auth ?? "none";
  return {
    [MANIFEST_FILE]: json(manifest(slug, name, auth)),
    [HANDLER_FILE]: HANDLER_LUA,
    "icon.svg": ICON,
    "README.md": readme(name, auth),
    "CHANGELOG.md": `# Changelog\n\n## ${FIRST_VERSION}\n\n- First version: get_item.\n`,
    "tests/get-item.test.json": json(testCase()),
  };
}
