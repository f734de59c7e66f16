/**
 * What the Astro site reads at build time: the catalog entries plus their Markdown already
 * rendered (and sanitised) to HTML, so the site's pages hold no parsing logic of their own.
 */
import { z } from "zod";
import { integrationEntrySchema, versionDetailSchema } from "./catalog-schema.js";

export const siteIntegrationSchema = integrationEntrySchema.extend({
  readmeHtml: z.string(),
  /** Rendered CHANGELOG entry by version. */
  notesHtml: z.record(z.string(), z.string()),
  /** The version the repository's files (and so the entry's details) describe. */
  sourceVersion: z.string(),
  /** Details of other published versions, read from their bundles, by version. */
  versionDetails: z.record(z.string(), versionDetailSchema.extend({ readmeHtml: z.string() })),
});

export const siteDataSchema = z.strictObject({
  generatedAt: z.string(),
  /** Site-relative URL of the search data (search-data.ts), content-hashed so it can be cached forever. */
  searchData: z.string(),
  /** Every integration that gets pages: public and unlisted, in listing order. */
  integrations: z.array(siteIntegrationSchema),
});

export type SiteIntegration = z.infer<typeof siteIntegrationSchema>;
export type SiteData = z.infer<typeof siteDataSchema>;
