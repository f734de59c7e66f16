/** Turns target arguments of `ihub <verb>` (slugs or paths) into folder names; anything else is a usage error. */
import path from "node:path";
import { UsageError } from "../errors.js";
import type { IntegrationDir } from "../repo/list-integrations.js";
import { INTEGRATIONS_DIR } from "@ihub/runtime/layout";

export function resolveTargets(verb: string, root: string, all: readonly IntegrationDir[], targets: readonly string[], cwd = process.cwd()): string[] {
  const known = new Set(all.map((d) => d.slug));
  const base = path.join(root, INTEGRATIONS_DIR);
  const out = new Set<string>();
  for (const target of targets) {
    if (known.has(target)) {
      out.add(target);
      continue;
    }
    const rel = path.relative(base, path.resolve(cwd, target));
    const slug = rel.split(path.sep)[0] ?? "";
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel) || !known.has(slug)) {
      throw new UsageError(`"${target}" is neither an integration slug nor a path inside one`, `Integrations are the folders under ${INTEGRATIONS_DIR}/; run \`ihub ${verb}\` without targets to take them all.`);
    }
    out.add(slug);
  }
  return [...out].sort();
}
