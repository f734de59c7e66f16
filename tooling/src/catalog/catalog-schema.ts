/**
 * The machine-readable catalog, defined once with zod: `catalog.json` (the listing apps drive
 * their pickers from) and `catalog/<slug>.json` (everything the integration page shows).
 * `schemas/catalog.schema.json` is generated from `catalogFilesSchema`; the site reads the same
 * model, so the pages and the JSON cannot drift apart.
 */
import { z } from "zod";
import { authTypes, deprecationSchema, handlerTypes, httpMethods, permissionsSchema, resourceKinds, retentionTiers, SEMVER_PATTERN, SLUG_PATTERN, sqlDialects, trustTiers } from "@ihub/runtime/manifest";
import { integritySchema, yankSchema } from "@ihub/runtime/registry";

export const CATALOG_FORMAT = 1;

const slug = z.string().regex(new RegExp(SLUG_PATTERN));
const version = z.string().regex(new RegExp(SEMVER_PATTERN));

export const fieldRowSchema = z
  .strictObject({
    name: z.string().describe("Property path, dotted for nested objects and `[]` for array items, e.g. `filters.status` or `items[].id`."),
    type: z.string().describe("JSON Schema type(s) in words, e.g. `string`, `integer`, `array of string`."),
    required: z.boolean().describe("Whether the property must be present."),
    description: z.string().optional().describe("The schema's description of the property."),
    label: z.string().optional().describe("The schema's `label` UI hint: the field's name in a form."),
    helpText: z.string().optional().describe("The schema's `help_text` UI hint: guidance shown beside the field."),
    default: z.unknown().optional().describe("The schema's default value."),
    enum: z.array(z.unknown()).optional().describe("Allowed values, when the schema restricts them."),
    format: z.string().optional().describe("JSON Schema format, e.g. `uri` or `date-time`."),
    secret: z.boolean().optional().describe("Credentials only: the value is a secret (`format: password`). Values are never part of the catalog."),
  })
  .describe("One row of a schema rendered as a table.");

export const operationSchema = z
  .strictObject({
    method: z.enum(httpMethods).describe("HTTP method the handlers call."),
    path: z.string().describe("Path the handlers call, or the OpenAPI path template it matches."),
    operationId: z.string().optional().describe("operationId from the resource's OpenAPI document."),
    summary: z.string().optional().describe("Summary from the resource's OpenAPI document."),
  })
  .describe("An API operation the integration uses.");

export const handlerEntrySchema = z
  .strictObject({
    name: z.string().describe("Handler name (snake_case)."),
    displayName: z.string(),
    description: z.string(),
    type: z.enum(handlerTypes),
    schedule: z.string().optional().describe("Timer handlers: cron expression or interval."),
    event: z.string().optional().describe("Event handlers: the topic that triggers the handler."),
    timeoutMs: z.number().int().optional(),
    input: z.array(fieldRowSchema).describe("The input schema as rows."),
    output: z.array(fieldRowSchema).describe("The output schema as rows (rpc handlers)."),
    inputSchema: z.record(z.string(), z.unknown()).optional().describe("The input JSON Schema as declared."),
    outputSchema: z.record(z.string(), z.unknown()).optional().describe("The output JSON Schema as declared."),
    example: z
      .strictObject({
        source: z.enum(["test", "schema"]).describe("`test`: taken from a passing test case; `schema`: assembled from schema examples and defaults."),
        input: z.unknown().optional(),
        output: z.unknown().optional(),
      })
      .optional()
      .describe("An example call."),
  })
  .describe("One handler of the integration.");

export const versionEntrySchema = z
  .strictObject({
    version,
    date: z.string().optional().describe("Publish time (registry) or the date of the CHANGELOG heading."),
    tag: z.string().describe("Release tag `<slug>@<version>`."),
    contentDigest: z.string().optional().describe("sha256 of the bundle content (registry only)."),
    integrity: integritySchema.optional().describe("Integrity of the bundle (registry only)."),
    size: z.number().int().optional().describe("Bundle size in bytes (registry only)."),
    yanked: yankSchema.optional(),
    breaking: z.boolean().describe("A major bump over the previous version: expect breaking changes."),
    changelog: z.string().describe("The CHANGELOG.md entry of this version (Markdown), empty when there is none."),
    source: z.enum(["registry", "changelog", "manifest"]).describe("Where the version is known from."),
  })
  .describe("One version of the integration, newest first in `versions`.");

export const integrationEntrySchema = z
  .strictObject({
    format: z.literal(CATALOG_FORMAT),
    slug,
    name: z.string(),
    description: z.string(),
    publisher: z.string(),
    trustTier: z.enum(trustTiers),
    visibility: z.enum(["public", "unlisted"]).describe("Private integrations never appear in the catalog."),
    categories: z.array(z.string()),
    retentionTier: z.enum(retentionTiers),
    retention: z.string().describe("What the runtime keeps of an install's work under the retention tier, and how long."),
    homepage: z.string().optional(),
    icon: z.string().describe("Site-relative URL of the icon, content-hashed: `icons/<slug>.<hash>.<ext>`."),
    url: z.string().describe("Site-relative URL of the integration page."),
    latestVersion: version.describe("Newest version that is not yanked (the newest overall when all are)."),
    install: z.string().describe("What to install: `<slug>@^<major>` of the latest version."),
    deprecated: deprecationSchema.optional(),
    yanked: z.boolean().describe("Every published version is yanked: nothing can be installed."),
    auth: z.strictObject({
      type: z.enum(authTypes),
      headerName: z.string().optional(),
      valuePrefix: z.string().optional(),
      scopes: z.array(z.string()),
      fields: z.array(fieldRowSchema).describe("Credential fields: names and types only, never values."),
      oauth2: z.strictObject({ authorizationUrl: z.string(), tokenUrl: z.string() }).optional(),
      provider: z.string().optional().describe("The built-in OAuth 2.0 provider the integration connects through (`auth.provider`)."),
    }),
    billing: z.boolean().describe("Handlers report a cost per call (`billing: true`); the runtime records it per run."),
    connectedAccount: z.string().nullable().describe("The rpc handler that reports which external account an install is connected to."),
    config: z.array(fieldRowSchema).describe("Install-time configuration, from configSchema."),
    resources: z.array(
      z.strictObject({
        alias: z.string(),
        kind: z.enum(resourceKinds),
        description: z.string(),
        dialect: z.enum(sqlDialects).optional(),
        operations: z.array(operationSchema).describe("HTTP operations the handlers call on this alias."),
      }),
    ),
    permissions: permissionsSchema,
    permissionSummary: z.array(z.string()).describe("The permissions in plain words."),
    handlers: z.array(handlerEntrySchema),
    containers: z.array(z.strictObject({ name: z.string(), fields: z.array(fieldRowSchema) })),
    dependencies: z
      .strictObject({ modules: z.record(z.string(), z.string()), integrations: z.record(z.string(), z.string()) })
      .describe("Shared Lua modules and other integrations needed, by semver range."),
    versions: z.array(versionEntrySchema).min(1),
  })
  .describe("Everything the catalog knows about one integration (`catalog/<slug>.json`).");

/** What one version's own files say: the part of an entry a version page shows for that version. */
export const versionDetailSchema = integrationEntrySchema.pick({
  description: true,
  auth: true,
  config: true,
  resources: true,
  permissions: true,
  permissionSummary: true,
  handlers: true,
  containers: true,
  dependencies: true,
  billing: true,
  connectedAccount: true,
});

export const listingEntrySchema = integrationEntrySchema
  .pick({
    slug: true,
    name: true,
    description: true,
    publisher: true,
    trustTier: true,
    categories: true,
    icon: true,
    url: true,
    latestVersion: true,
    install: true,
    deprecated: true,
    yanked: true,
  })
  .extend({
    authType: z.enum(authTypes),
    handlers: z.array(handlerEntrySchema.pick({ name: true, displayName: true, type: true, description: true })),
    detail: z.string().describe("Site-relative URL of the full entry, `catalog/<slug>.json`."),
  })
  .describe("One public integration in the listing.");

export const catalogListingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    format: z.literal(CATALOG_FORMAT),
    generatedAt: z.iso.datetime({ offset: true }),
    integrations: z.array(listingEntrySchema).describe("Public integrations only; deprecated and yanked ones last."),
  })
  .describe("The catalog listing (`catalog.json`).");

/** The generated JSON Schema covers both files: a document is one or the other. */
export const catalogFilesSchema = z.union([catalogListingSchema, integrationEntrySchema]);

export type FieldRow = z.infer<typeof fieldRowSchema>;
export type Operation = z.infer<typeof operationSchema>;
export type HandlerEntry = z.infer<typeof handlerEntrySchema>;
export type VersionEntry = z.infer<typeof versionEntrySchema>;
export type IntegrationEntry = z.infer<typeof integrationEntrySchema>;
export type VersionDetail = z.infer<typeof versionDetailSchema>;
export type ListingEntry = z.infer<typeof listingEntrySchema>;
export type CatalogListing = z.infer<typeof catalogListingSchema>;
