import { readdir } from "node:fs/promises";
import path from "node:path";

import { INTEGRATIONS_DIR, RESERVED_PREFIX } from "@ihub/runtime/layout";

export type IntegrationDir = { slug: string; dir: string; relDir: string };

/** Every integration folder, sorted by name. Hidden and reserved folders are skipped. */
export async function listIntegrationDirs(root: string): Promise<IntegrationDir[]> {
  const base = path.join(root, INTEGRATIONS_DIR);
  const entries = await readdir(base, { withFileTypes: true });
  return entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith(".") && !e.name.startsWith(RESERVED_PREFIX))
    .map((e) => ({ slug: e.name, dir: path.join(base, e.name), relDir: `${INTEGRATIONS_DIR}/${e.name}` }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
