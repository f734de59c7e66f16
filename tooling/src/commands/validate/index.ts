import { defineCommand, printJson } from "../../cli/command.js";
import { UsageError } from "../../errors.js";
import type { ChangedIntegrations } from "../../git/changed-integrations.js";
import { progress } from "../../report/progress.js";
import { listIntegrationDirs } from "../../repo/list-integrations.js";
import { resolveTargets } from "../../validate/resolve-targets.js";
import { validateRepo } from "../../validate/validate-repo.js";
import { renderHuman } from "./human-report.js";

/** Version of the `--json` document; bumped only on an incompatible change (see docs/validate.md). */
export const VALIDATE_JSON_FORMAT = "ihub.validate/v1";
export const DEFAULT_BASE = "main";

export default defineCommand({
  name: "validate",
  summary: "check integration folders: manifest, Lua, icon, OpenAPI, docs, tests",
  configure: (cmd) =>
    cmd
      .argument("[targets...]", "slugs or paths of integrations (default: all)")
      .option("--changed", "only integrations changed since the merge base with --base (plus uncommitted changes)")
      .option("--base <ref>", `git ref to compare with for --changed (default: ${DEFAULT_BASE})`)
      .option("--jobs <n>", "threads to validate with (default: 1; more pays off only on idle cores and large sets)"),
  async run(ctx, args, opts) {
    const root = await ctx.root();
    if (opts.base !== undefined && !opts.changed) throw new UsageError("--base only applies with --changed", "Add --changed, or drop --base.");
    const jobs = opts.jobs === undefined ? 1 : Number(opts.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${String(opts.jobs)} is not a whole number from 1 to 64`, "Pass e.g. --jobs 2 for two threads.");
    const all = await listIntegrationDirs(root);
    let only: string[] | undefined = args.length ? resolveTargets(root, all, args) : undefined;
    let changed: ChangedIntegrations | undefined;
    if (opts.changed) {
      // isomorphic-git is loaded only for --changed: a full run does not pay for it.
      const { changedIntegrations } = await import("../../git/changed-integrations.js");
      changed = await changedIntegrations(root, { base: String(opts.base ?? DEFAULT_BASE) });
      const removed = new Set(changed.removed);
      only = [...new Set([...(only ?? []), ...changed.slugs.filter((s) => !removed.has(s))])].sort();
    }
    const total = only?.length ?? all.length;
    const result = await validateRepo(root, { only, workers: jobs - 1, progress: progress("validate", total) });
    if (ctx.json) {
      printJson(ctx, {
        format: VALIDATE_JSON_FORMAT,
        ok: result.counts.error === 0,
        integrations: result.integrations,
        counts: { integrations: result.integrations.length, ...result.counts },
        findings: result.findings,
        ...(changed ? { changed: { base: String(opts.base ?? DEFAULT_BASE), mergeBase: changed.mergeBase, reasons: changed.reasons, removed: changed.removed } } : {}),
      });
    } else {
      ctx.out(renderHuman(result));
    }
    return result.counts.error > 0 ? 1 : 0;
  },
});
