/** The catalog data of this build, read once. */
import { readFileSync } from "node:fs";
import { base, dataFile } from "virtual:ihub-catalog-data";
import type { SiteData, SiteIntegration } from "../../../tooling/src/catalog/site-data.ts";

let data: SiteData | undefined;

export function catalog(): SiteData {
  // Written by buildCatalog from typed values a moment ago, so it is not validated again: a
  // second zod pass over a thousand entries would only add build time.
  return (data ??= JSON.parse(readFileSync(dataFile, "utf8")) as SiteData);
}

/** Integrations shown in the listing, search and sitemap: public only, in listing order. */
export function listed(): SiteIntegration[] {
  return catalog().integrations.filter((i) => i.visibility === "public");
}

export function bySlug(slug: string): SiteIntegration | undefined {
  return catalog().integrations.find((i) => i.slug === slug);
}

/** A site-relative path under the configured base. */
export function href(path: string): string {
  return (base.endsWith("/") ? base : base + "/") + path;
}

export const tierLabels: Record<SiteIntegration["trustTier"], string> = {
  first_party: "First party",
  vendor_official: "Vendor official",
  verified_partner: "Verified partner",
  verified_publisher: "Verified publisher",
  community: "Community",
};

/** One line on what each tier promises, shown next to the badge so "is it trustworthy" has an answer. */
export const tierNotes: Record<SiteIntegration["trustTier"], string> = {
  first_party: "Built and maintained by the catalog's owners.",
  vendor_official: "Published by the vendor of the service it connects to.",
  verified_partner: "From a partner whose identity and integration were reviewed.",
  verified_publisher: "From a publisher whose identity was verified.",
  community: "From the community: validated and tested here, not reviewed or endorsed.",
};

export const authLabels: Record<SiteIntegration["auth"]["type"], string> = {
  none: "No auth",
  api_key: "API key",
  bearer_token: "Bearer token",
  oauth2: "OAuth 2.0",
  basic: "Basic auth",
};

export const handlerTypeLabels: Record<SiteIntegration["handlers"][number]["type"], string> = {
  rpc: "Action (rpc)",
  timer: "Scheduled (timer)",
  event: "Event",
};

export function shortDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : "—";
}

export function formatValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "";
}

/**
 * A description as written in a manifest: plain text in which `backticks` mark code, the one
 * Markdown habit descriptions have. Odd parts are code; nothing else is interpreted.
 */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  return text.split(/`([^`]+)`/).map((part, i) => ({ text: part, code: i % 2 === 1 }));
}
