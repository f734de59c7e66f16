/**
 * The integration manifest (`integration.json`), defined once with zod.
 *
 * This module is the single source of truth: `schemas/integration.schema.json` is generated
 * from it (`npm run schemas`, checked by a test), ajv validates manifests against that JSON
 * file, and the TypeScript types below are inferred from the same definitions.
 */
import { z } from "zod";
import { oauthProviderNames } from "../oauth/oauth-providers.js";
import { describeRetentionTiers } from "./retention-policy.js";

export const SLUG_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$";
export const SNAKE_CASE_PATTERN = "^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$";
export const ALIAS_PATTERN = "^[a-z][a-z0-9_]*$";
export const LUA_IDENTIFIER_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";
export const TOPIC_PATTERN = "^[a-z0-9]+(?:[._-][a-z0-9]+)*$";
/** Semantic Versioning 2.0.0, the official regular expression. */
export const SEMVER_PATTERN =
  "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";
/** A relative path inside the integration folder: no leading slash, no backslash, no `..` segment. */
export const RELATIVE_PATH_PATTERN = "^(?!/)(?!.*\\\\)(?!(?:.*/)?\\.\\.(?:/|$))[^\\u0000]+$";

const re = (pattern: string) => new RegExp(pattern);

/** An embedded JSON Schema (2020-12). Its own validity is checked semantically by `ihub validate`. */
const jsonSchema = (what: string) =>
  z.record(z.string(), z.unknown()).describe(`JSON Schema (2020-12) of ${what}.`);

const relativePath = (what: string) =>
  z.string().min(1).max(255).regex(re(RELATIVE_PATH_PATTERN)).describe(`${what} Relative to the integration folder; must stay inside it.`);

export const trustTiers = ["first_party", "vendor_official", "verified_partner", "verified_publisher", "community"] as const;
export const visibilities = ["private", "public", "unlisted"] as const;
export const retentionTiers = ["short", "medium", "long", "none"] as const;
export const authTypes = ["none", "api_key", "bearer_token", "oauth2", "basic"] as const;
export const resourceKinds = ["http", "sql"] as const;
export const sqlDialects = ["sqlite", "postgres", "mysql"] as const;
export const handlerTypes = ["rpc", "timer", "event"] as const;
export const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const deprecationSchema = z
  .strictObject({
    message: z.string().min(1).max(500).describe("Why the integration is deprecated and what users should do."),
    replacement: z.string().regex(re(SLUG_PATTERN)).optional().describe("Slug of the integration that replaces this one."),
    since: z.string().regex(re(SEMVER_PATTERN)).optional().describe("First version that carries the deprecation."),
  })
  .describe("Marks the integration as deprecated. New installs are warned; the catalog shows a banner and sorts it last.");

export const oauth2Schema = z
  .strictObject({
    authorizationUrl: z.url().describe("Authorization endpoint (RFC 6749 §3.1)."),
    tokenUrl: z.url().describe("Token endpoint (RFC 6749 §3.2)."),
    refreshUrl: z.url().optional().describe("Refresh endpoint when it differs from tokenUrl."),
    revokeUrl: z.url().optional().describe("Token revocation endpoint (RFC 7009)."),
    pkce: z.boolean().optional().describe("Whether the authorization code flow uses PKCE (RFC 7636)."),
    scopeSeparator: z.string().max(3).optional().describe("Separator used when joining scopes; a space by default."),
  })
  .describe("OAuth 2.0 endpoints. Required when auth.type is oauth2 and no auth.provider is named.");

export const authSchema = z
  .strictObject({
    type: z.enum(authTypes).describe("How the external service authenticates calls."),
    fields: jsonSchema("the credential the installer provides; properties with `format: password` are secrets").optional(),
    scopes: z.array(z.string().min(1).max(200)).max(100).optional().describe("OAuth scopes or API key permissions the integration needs."),
    authHeaderName: z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/)
      .optional()
      .describe("HTTP header the runtime injects the credential into (default: Authorization)."),
    authValuePrefix: z.string().max(64).optional().describe("Prefix put before the credential value in the header, e.g. `Bearer ` or `Token `."),
    oauth2: oauth2Schema.optional(),
    provider: z
      .enum(oauthProviderNames)
      .optional()
      .describe(
        "A built-in OAuth 2.0 provider whose endpoints the runtime knows (auth.type oauth2), instead of auth.oauth2. The client id and secret are settings of the runtime, never part of the bundle.",
      ),
  })
  .describe("Authentication. The runtime injects the credential into device calls itself; handlers never see the secret.");

export const resourceSchema = z
  .strictObject({
    kind: z.enum(resourceKinds).describe("`http` for an HTTP API, `sql` for a database."),
    description: z.string().min(1).max(500).describe("What the installer must bind this alias to."),
    openapi: relativePath("OpenAPI document (JSON or YAML) describing the API behind this alias.").optional(),
    dialect: z.enum(sqlDialects).optional().describe("SQL dialect of the database (kind sql only)."),
  })
  .describe("A named external target. Installers bind the alias to a real URL or database; handlers only name the alias.");

export const devicePermissionSchema = z
  .strictObject({
    methods: z.array(z.enum(httpMethods)).min(1).optional().describe("HTTP methods allowed on this alias (all when omitted)."),
    readOnly: z.boolean().optional().describe("For sql aliases: only statements that read are allowed."),
    maxCalls: z.number().int().min(1).max(10000).optional().describe("Most device calls one invocation may make to this alias."),
  })
  .describe("What handlers may do with one resource alias.");

export const permissionsSchema = z
  .strictObject({
    device: z
      .record(z.string().regex(re(ALIAS_PATTERN)), devicePermissionSchema)
      .optional()
      .describe("Device calls allowed, per resource alias. A call to an alias not listed here is refused."),
    cache: z.boolean().optional().describe("Whether handlers may use the install-scoped cache (ctx.integration.cache*)."),
    containers: z
      .record(z.string().regex(re(ALIAS_PATTERN)), z.enum(["read", "readwrite"]))
      .optional()
      .describe("Data containers handlers may access, with the access level."),
    events: z
      .strictObject({
        emit: z.array(z.string().regex(re(TOPIC_PATTERN))).optional().describe("Topics handlers may emit with ctx.emit."),
      })
      .optional()
      .describe("Events the integration may emit."),
    tenantApis: z
      .array(z.string().regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/))
      .optional()
      .describe(
        "Tenant-scoped platform APIs the integration may call: `cache` (ctx.cache, shared by the tenant's installs), `sql` (ctx.sql on the tenant's database), `graphql` (ctx.graphql on the tenant's GraphQL endpoint); other names are reserved for platform APIs.",
      ),
  })
  .describe("What the integration may do. Anything not granted here is refused at run time.");

/** The known names in `permissions.tenantApis` that unlock a tenant-scoped ctx function. */
export const tenantApiNames = ["cache", "sql", "graphql"] as const;
export type TenantApi = (typeof tenantApiNames)[number];

export const connectedAccountSchema = z
  .strictObject({
    handler: z
      .string()
      .regex(re(SNAKE_CASE_PATTERN))
      .describe("An rpc handler, called without input, that returns the external account `{ id, name, email?, avatarUrl? }`."),
  })
  .describe("How the runtime shows which external account an install is connected to: it calls the handler after install, after a credential change and after an OAuth connect.");

export const handlerSchema = z
  .strictObject({
    type: z.enum(handlerTypes).describe("`rpc` is called with input and returns output; `timer` runs on a schedule; `event` runs when a topic is published."),
    file: relativePath("Lua file that returns a table of functions, usually `handlers/<name>.lua`."),
    function: z.string().regex(re(LUA_IDENTIFIER_PATTERN)).describe("Name of the function in the table the file returns."),
    displayName: z.string().min(1).max(100).describe("Human-readable name shown in the catalog and pickers."),
    description: z.string().min(1).max(1000).describe("What the handler does."),
    inputSchema: jsonSchema("the handler input, validated before the call").optional(),
    outputSchema: jsonSchema("the rpc output, validated after the call").optional(),
    schedule: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("Timer handlers: a cron expression (5 or 6 fields) or an interval such as `30s`, `5m`, `1h`."),
    event: z.string().regex(re(TOPIC_PATTERN)).optional().describe("Event handlers: the topic that triggers the handler."),
    timeoutMs: z.number().int().min(1).max(900000).optional().describe("Wall-clock limit of one invocation, including time waiting on I/O."),
  })
  .describe("One entry point into the integration's Lua code.");

export const dependenciesSchema = z
  .strictObject({
    modules: z
      .record(z.string().regex(re(SLUG_PATTERN)), z.string().min(1).max(100))
      .optional()
      .describe("Shared Lua modules from `integrations/_modules/<name>/`, by semver range; handlers `require` them by name."),
    integrations: z
      .record(z.string().regex(re(SLUG_PATTERN)), z.string().min(1).max(100))
      .optional()
      .describe("Other integrations that must be installed alongside, by semver range."),
  })
  .describe("What the integration needs besides itself.");

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, so editors complete and check the manifest."),
    slug: z.string().min(1).max(64).regex(re(SLUG_PATTERN)).describe("Unique id: lowercase letters, digits and hyphens. Equals the folder name."),
    name: z.string().min(1).max(100).describe("Display name."),
    description: z.string().min(1).max(500).describe("One or two sentences on what the integration does."),
    version: z.string().regex(re(SEMVER_PATTERN)).describe("Semantic version of this integration. Every change to the bundle needs a bump."),
    publisher: z.string().min(1).max(100).describe("Who publishes and supports the integration."),
    trustTier: z.enum(trustTiers).describe("How far the publisher is vetted: first_party > vendor_official > verified_partner > verified_publisher > community."),
    visibility: z.enum(visibilities).describe("`public` is listed in the catalog; `unlisted` is reachable by URL only; `private` is left out of the public catalog."),
    categories: z.array(z.string().regex(re(SLUG_PATTERN))).min(1).max(10).describe("Catalog categories, e.g. `messaging`, `payments`."),
    icon: relativePath("Icon file: `icon.svg` (square) or `icon.png` (512x512)."),
    retentionTier: z.enum(retentionTiers).describe(describeRetentionTiers()),
    deprecated: deprecationSchema.optional(),
    homepage: z.url().optional().describe("Web page of the external service or the integration."),
    auth: authSchema,
    billing: z.boolean().optional().describe("Whether handlers report what a call cost with ctx.billing.charge(usd, note); the runtime records each charge with its run."),
    connectedAccount: connectedAccountSchema.optional(),
    configSchema: jsonSchema("the install-time, non-secret configuration").optional(),
    resources: z.record(z.string().regex(re(ALIAS_PATTERN)), resourceSchema).optional().describe("Resource aliases the handlers call through ctx.device."),
    permissions: permissionsSchema,
    dataContainerSchemas: z
      .record(z.string().regex(re(ALIAS_PATTERN)), jsonSchema("each record stored in the container"))
      .optional()
      .describe("Install-scoped data containers: name -> JSON Schema of each stored record."),
    handlers: z.record(z.string().regex(re(SNAKE_CASE_PATTERN)), handlerSchema).describe("Handlers by snake_case name."),
    dependencies: dependenciesSchema.optional(),
  })
  .describe("Manifest of one integration (integrations/<slug>/integration.json).");

export type Manifest = z.infer<typeof manifestSchema>;
export type Auth = z.infer<typeof authSchema>;
export type Resource = z.infer<typeof resourceSchema>;
export type Permissions = z.infer<typeof permissionsSchema>;
export type Handler = z.infer<typeof handlerSchema>;
export type HandlerType = (typeof handlerTypes)[number];
export type TrustTier = (typeof trustTiers)[number];
export type Visibility = (typeof visibilities)[number];
