/**
 * Which integrations a verb works on: the slugs or paths given, plus with `--changed` those
 * changed since the merge base with `--base` (see git/changed-integrations.ts), else all.
 * One place for the flags and the rule, so every verb that takes targets selects alike.
 */
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import type { ChangedIntegrations } from "../git/changed-integrations.js";
import { baseOption, resolveBase } from "../git/default-base.js";
import { resolveTargets } from "../validate/resolve-targets.js";
import { listIntegrationDirs, type IntegrationDir } from "./list-integrations.js";

export function withTargetOptions(cmd: Command): Command {
  return cmd
    .argument("[targets...]", "slugs or paths of integrations (default: all)")
    .option("--changed", "only integrations changed since the merge base with --base (plus uncommitted changes)")
    .addOption(baseOption());
}

export type Selection = {
  dirs: IntegrationDir[];
  /** With --changed: what changed and why, for the `changed` object of a verb's --json document. */
  changed: { base: string; mergeBase: string; reasons: ChangedIntegrations["reasons"]; removed: string[] } | null;
};

/** `verb` names the command running, for the hint of an unknown target. */
export async function selectIntegrations(verb: string, root: string, args: readonly string[], opts: Record<string, unknown>): Promise<Selection> {
  if (opts.base !== undefined && !opts.changed) throw new UsageError("--base only applies with --changed", "Add --changed, or drop --base.");
  const all = await listIntegrationDirs(root);
  const only = new Set(args.length ? resolveTargets(verb, root, all, args) : []);
  if (!opts.changed) return { dirs: args.length ? all.filter((d) => only.has(d.slug)) : all, changed: null };
  const base = await resolveBase(root, opts.base);
  // isomorphic-git is loaded only for --changed: a run over all or named targets does not pay for it.
  const { changedIntegrations } = await import("../git/changed-integrations.js");
  const changed = await changedIntegrations(root, { base });
  // Integrations deleted since the base have no folder left to work on.
  for (const slug of changed.slugs) only.add(slug);
  return { dirs: all.filter((d) => only.has(d.slug)), changed: { base, mergeBase: changed.mergeBase, reasons: changed.reasons, removed: changed.removed } };
}
