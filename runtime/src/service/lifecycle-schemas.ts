/**
 * Request and response bodies of the lifecycle routes (OAuth connect, usage) and what the install
 * view adds about its OAuth connection, connected account and billing, defined with zod like
 * api-schemas.ts, from which Fastify's schemas and /openapi.json are derived.
 */
import { z } from "zod";
import { sumUsd, type InstallLifecycle, type RecordedCharge } from "../service-store/lifecycle-store.js";

// A pattern rather than z.url's protocol option, which the derived JSON Schema (what Fastify checks) would drop.
const httpUrl = z.url().max(2048).regex(/^https?:\/\//);

export const tenantBindingsBody = z
  .strictObject({
    sql: z
      .strictObject({ dsn: z.string().regex(/^sqlite:/).max(4096).describe("`sqlite:/path/to/file.sqlite`: a SQLite file the runtime opens (PostgreSQL DSNs come with the fleet).") })
      .optional()
      .describe("The tenant's database behind ctx.sql."),
    graphql: z.strictObject({ url: httpUrl.describe("The GraphQL endpoint itself, e.g. https://api.example.com/graphql.") }).optional().describe("The tenant's GraphQL endpoint behind ctx.graphql."),
  })
  .describe("Tenant-scoped bindings for the tenant APIs (`permissions.tenantApis`).");

const accountObject = z.object({ id: z.string(), name: z.string(), email: z.string().optional(), avatarUrl: z.string().optional() });

export const oauthStartBody = z.strictObject({
  returnTo: httpUrl.optional().describe("Where the callback sends the browser when the connection is made, with `installId` and `oauth=connected` added to its query."),
});
export const oauthStarted = z.object({
  authorizationUrl: z.string().describe("Send the user here; the provider redirects back to /v1/oauth/callback."),
  expiresAt: z.string().describe("The authorization must complete before this time."),
});
export const oauthConnected = z
  .object({
    installId: z.string(),
    connected: z.literal(true),
    account: accountObject.nullable().describe("The external account, when the connectedAccount handler reported one."),
  })
  .describe("The answer to the browser: no bearer token was needed, so it carries no more of the install than this.");
export const oauthCallbackQuery = z
  .object({ state: z.string().max(512).optional(), code: z.string().max(4096).optional(), error: z.string().max(200).optional(), error_description: z.string().max(2000).optional(), iss: z.string().max(2048).optional() })
  .describe("What the provider appends to the redirect URI.");

const iso = z.string();
const oauthView = z
  .object({
    connected: z.boolean().describe("Whether the install holds tokens from a completed authorization."),
    connectedAt: iso,
    expiresAt: iso.nullable().describe("When the access token expires; the runtime refreshes it before then."),
    refreshedAt: iso.nullable(),
    scope: z.string().nullable(),
    lastError: z.object({ code: z.string(), message: z.string(), at: iso }).nullable().describe("The last refresh that failed; connect again when the provider refused it."),
  })
  .nullable()
  .describe("The OAuth 2.0 connection; null until one is made.");
const accountView = z
  .object({
    account: accountObject.nullable(),
    error: z.object({ kind: z.string(), code: z.string(), message: z.string() }).nullable().describe("Why the connectedAccount handler gave no account."),
    runId: z.string().nullable(),
    checkedAt: iso,
  })
  .nullable()
  .describe("The external account, as the manifest's connectedAccount handler last reported it; null when it has none or was not asked yet.");

export const installLifecycleFields = {
  oauth: oauthView,
  connectedAccount: accountView,
  billing: z.object({ totalUsd: z.number().describe("Every charge the install's runs reported, in US dollars.") }),
};

const isoOf = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function viewLifecycle(l: InstallLifecycle | undefined) {
  const o = l?.oauth ?? null;
  const a = l?.account ?? null;
  return {
    oauth: o && {
      connected: true,
      connectedAt: isoOf(o.connectedAt)!,
      expiresAt: isoOf(o.expiresAt),
      refreshedAt: isoOf(o.refreshedAt),
      scope: o.scope,
      lastError: o.lastError && { ...o.lastError, at: isoOf(o.lastError.at)! },
    },
    connectedAccount: a && { account: a.account, error: a.error, runId: a.runId, checkedAt: isoOf(a.checkedAt)! },
    billing: { totalUsd: l?.billedUsd ?? 0 },
  };
}

export const runCost = z
  .object({
    usd: z.number().describe("Sum of the run's charges, in US dollars."),
    charges: z.array(z.object({ usd: z.number(), note: z.string().nullable() })).describe("Each ctx.billing.charge of the run, in order."),
  })
  .describe("What the run reported it cost (integrations with `billing: true`).");

export function viewCost(charges: readonly RecordedCharge[]): z.infer<typeof runCost> {
  return { usd: sumUsd(charges.map((c) => c.usd)), charges: charges.map((c) => ({ usd: c.usd, note: c.note })) };
}

export const usageQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional().describe("Start of the period (inclusive); 30 days before `to` by default."),
  to: z.iso.datetime({ offset: true }).optional().describe("End of the period (exclusive); now by default."),
  installId: z.string().min(1).max(100).optional().describe("Only this install."),
});
export const usageReport = z.object({
  from: iso,
  to: iso,
  items: z.array(
    z.object({
      installId: z.string(),
      integration: z.string().describe("The slug."),
      handler: z.string(),
      usd: z.number().describe("Sum of the charges, in US dollars (kept in millionths, so sums are exact)."),
      charges: z.number().int(),
      runs: z.number().int().describe("Runs that reported at least one charge."),
    }),
  ),
  totalUsd: z.number(),
});
