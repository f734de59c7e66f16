import { UsageError } from "../errors.js";
import { listIntegrationDirs } from "../repo/list-integrations.js";

/** The slugs a verb works on: the ones named (each must exist), else every integration. */
export async function selectSlugs(root: string, named: readonly string[]): Promise<string[]> {
  const all = (await listIntegrationDirs(root)).map((d) => d.slug);
  if (!named.length) return all;
  const unknown = named.filter((s) => !all.includes(s));
  if (unknown.length) throw new UsageError(`no integration named ${unknown.join(", ")}`, `Known: ${all.join(", ") || "none"}.`);
  return [...new Set(named)];
}
