/**
 * Every request and response body of the HTTP API, defined once with zod. Fastify validates and
 * serialises with the JSON Schemas derived from these (api-route.ts), and /openapi.json is built
 * from the same derivation, so the document cannot drift from what the routes accept.
 */
import { z } from "zod";
import { ALIAS_PATTERN, authTypes, handlerTypes, resourceKinds, retentionTiers, SEMVER_PATTERN, TOPIC_PATTERN, trustTiers, visibilities } from "../manifest/manifest-schema.js";
import { installLifecycleFields, runCost, tenantBindingsBody } from "./lifecycle-schemas.js";

const pointedChange = z.object({ message: z.string(), pointer: z.string().describe("JSON pointer.") });

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe("Stable machine-readable code."),
      message: z.string(),
      hint: z.string().optional().describe("What to do about it."),
      pointer: z.string().optional().describe("JSON pointer into the request body of the value at fault."),
      problems: z
        .array(pointedChange)
        .optional()
        .describe("Every value at fault when there are several: pointers into the request body, or into the new version's manifest for what an upgrade would newly allow."),
    }),
    runId: z.string().optional().describe("The run that failed, for rpc errors raised by the handler or the sandbox."),
  })
  .describe("Every error answer.");

const id = z.string().min(1).max(100);
export const idParams = z.strictObject({ id });
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional().describe("Items per page (default 50)."),
  cursor: z.string().max(512).optional().describe("The `cursor` of the previous page."),
});

export const createTenantBody = z.strictObject({
  name: z.string().min(1).max(200),
  bindings: tenantBindingsBody.optional(),
});
export const createdTenant = z.object({
  id: z.string(),
  name: z.string(),
  token: z.string().describe("The tenant's bearer token. Shown only here; the runtime stores its hash."),
});

const bindingValue = z.union([
  z.strictObject({ url: z.url().describe("Base URL of an http resource.") }),
  z.strictObject({ dsn: z.string().min(1).max(4096).describe("Database of an sql resource, e.g. sqlite:/var/data/app.sqlite.") }),
]);
const bindingsMap = z.record(z.string().regex(new RegExp(ALIAS_PATTERN)), bindingValue);
const followRange = z
  .boolean()
  .describe("Move to newer versions in the range by itself (the runtime polls the registry). An upgrade that widens permissions or scopes, or that the config does not fit, still waits for the tenant. Off by default; a rollback turns it off.");
const credentials = z.record(z.string(), z.unknown()).describe("The credential, validated against the manifest's auth.fields. Never returned.");

export const createInstallBody = z.strictObject({
  integration: z.string().min(3).max(200).describe("`slug@range`, e.g. `github-issues@^1`; an exact version pins it."),
  config: z.record(z.string(), z.unknown()).optional(),
  bindings: bindingsMap.optional(),
  credentials: credentials.optional(),
  followRange: followRange.optional(),
});
export const patchInstallBody = z.strictObject({
  config: z.record(z.string(), z.unknown()).optional(),
  bindings: bindingsMap.optional(),
  credentials: credentials.nullable().optional().describe("A new credential; null removes it."),
  followRange: followRange.optional(),
});

export const installView = z.object({
  id: z.string(),
  integration: z.string().describe("The slug."),
  version: z.string(),
  range: z.string(),
  config: z.record(z.string(), z.unknown()),
  bindings: bindingsMap,
  credentials: z.object({ set: z.array(z.string()).describe("Credential fields that are set; their values are never returned.") }),
  status: z.enum(["active"]),
  warnings: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  ...installLifecycleFields,
  followRange: z.boolean(),
  previousVersion: z.string().nullable().describe("The version a rollback returns to."),
  pendingUpgrade: z
    .object({
      version: z.string(),
      detectedAt: z.string(),
      access: z.array(pointedChange).describe("What the new version may do that the installed one may not (pointers into its manifest). Applied only with `acceptPermissions: true`."),
      problems: z.array(pointedChange).describe("Where the stored config or bindings do not fit the new version (pointers into the upgrade request body). Applied only with new ones."),
    })
    .nullable()
    .describe("A newer version the install did not move to by itself, and why."),
  retention: z
    .object({ tier: z.enum(retentionTiers), keeps: z.string().describe("What the tier keeps, and how long.") })
    .nullable()
    .describe("The installed version's retention tier; null until the runtime has read it from an install made before tiers were recorded."),
});
export const installPage = z.object({ items: z.array(installView), cursor: z.string().nullable() });

export const rpcParams = z.strictObject({ id, handler: z.string().min(1).max(100) });
export const rpcBody = z.strictObject({ input: z.unknown().optional() });
export const rpcResult = z.object({ output: z.unknown(), runId: z.string() });
export const idempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1).max(200).optional().describe("Repeating a call with the same key returns the stored result of the first."),
});

export const publishEventBody = z.strictObject({
  topic: z.string().regex(new RegExp(TOPIC_PATTERN)),
  payload: z.unknown().optional(),
});
export const publishedEvent = z.object({ eventId: z.string(), deliveries: z.number().int() });

const logRecord = z.object({ level: z.string(), message: z.string(), fields: z.unknown().optional(), at: z.string() });
export const runView = z.object({
  id: z.string(),
  installId: z.string(),
  handler: z.string(),
  trigger: z.enum(["rpc", "timer", "event"]),
  triggerRef: z.string().nullable().describe("The timer slot, the event id, or `connected-account` for the run that asked the connectedAccount handler."),
  version: z.string(),
  attempt: z.number().int(),
  status: z.enum(["running", "ok", "error", "dead_letter", "interrupted"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.object({ kind: z.string(), code: z.string(), message: z.string() }).nullable(),
  limitHit: z.string().nullable(),
  logs: z.array(logRecord).describe("What the handler logged, credentials redacted."),
  cost: runCost,
});
export const runPage = z.object({ items: z.array(runView), cursor: z.string().nullable() });

export const health = z.object({ status: z.enum(["ok", "unavailable"]), checks: z.record(z.string(), z.string()).optional() });

export const upgradeBody = z.strictObject({
  version: z.string().regex(new RegExp(SEMVER_PATTERN)).optional().describe("An exact version; without it, the pending upgrade's version when accepting one, else the newest in the install's range. A version outside the range moves the range to `^version`."),
  config: z.record(z.string(), z.unknown()).optional().describe("A new config for the new version; without it the stored config must fit the new configSchema."),
  bindings: bindingsMap.optional().describe("New bindings, e.g. for a resource alias the new version adds."),
  credentials: credentials.nullable().optional().describe("A new credential for the new version (null removes it); without it the stored one must fit the new auth.fields."),
  acceptPermissions: z.boolean().optional().describe("Consent to what the new version may do that the installed one may not (new permissions, new auth scopes)."),
});
export const rollbackBody = z.strictObject({
  credentials: credentials.nullable().optional().describe("A credential for the version rolled back to, when the stored one does not fit it."),
});

const catalogHandler = z.object({
  name: z.string(),
  type: z.enum(handlerTypes),
  displayName: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
});
export const catalogItem = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  latest: z.string().describe("The newest version this runtime would install (not yanked, signed by a trusted key)."),
  install: z.string().describe("What to send as `integration` to POST /v1/installs: `slug@^major` of the latest version."),
  trustTier: z.enum(trustTiers),
  visibility: z.enum(visibilities),
  deprecated: z.boolean(),
  categories: z.array(z.string()),
  authType: z.enum(authTypes),
  configSchema: z.record(z.string(), z.unknown()).nullable(),
  resources: z.record(z.string(), z.object({ kind: z.enum(resourceKinds), description: z.string() })).describe("Aliases an install must bind: `{ url }` for http, `{ dsn }` for sql."),
  retention: z.object({ tier: z.enum(retentionTiers), keeps: z.string() }),
  handlers: z.array(catalogHandler),
});
export const catalogPage = z.object({ items: z.array(catalogItem), cursor: z.string().nullable() });
