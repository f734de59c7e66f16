import { defineCommand, printJson } from "../../cli/command.js";
import { UsageError } from "../../errors.js";
import { changedIntegrations } from "../../git/changed-integrations.js";
import { progress } from "../../report/progress.js";
import { listIntegrationDirs } from "../../repo/list-integrations.js";
import { resolveTargets } from "../../validate/resolve-targets.js";
import { renderHuman } from "./human-report.js";
import { countCases, runTests } from "./run-tests.js";

/** Version of the `--json` document; bumped only on an incompatible change (see docs/testing.md). */
export const TEST_JSON_FORMAT = "ihub.test/v1";
export const DEFAULT_BASE = "main";

export default defineCommand({
  name: "test",
  summary: "run every integration's test cases in the real sandbox with recorded fixtures",
  configure: (cmd) =>
    cmd
      .argument("[targets...]", "slugs or paths of integrations (default: all)")
      .option("--changed", "only integrations changed since the merge base with --base (plus uncommitted changes)")
      .option("--base <ref>", `git ref to compare with for --changed (default: ${DEFAULT_BASE})`),
  async run(ctx, args, opts) {
    const root = await ctx.root();
    if (opts.base !== undefined && !opts.changed) throw new UsageError("--base only applies with --changed", "Add --changed, or drop --base.");
    const all = await listIntegrationDirs(root);
    const only = new Set(args.length ? resolveTargets(root, all, args) : []);
    // The same selection as `ihub validate --changed`: a changed shared module or schema selects its dependants.
    const changed = opts.changed ? await changedIntegrations(root, { base: String(opts.base ?? DEFAULT_BASE) }) : null;
    for (const slug of changed?.slugs ?? []) only.add(slug);
    const dirs = args.length || changed ? all.filter((d) => only.has(d.slug)) : all;
    const run = await runTests(dirs, progress("test", await countCases(dirs)));
    if (ctx.json) {
      printJson(ctx, {
        format: TEST_JSON_FORMAT,
        ok: run.ok,
        counts: { integrations: run.integrations.length, ...run.counts },
        integrations: run.integrations,
        ...(changed ? { changed: { base: String(opts.base ?? DEFAULT_BASE), mergeBase: changed.mergeBase, reasons: changed.reasons, removed: changed.removed } } : {}),
      });
    } else {
      ctx.out(renderHuman(run));
    }
    return run.ok ? 0 : 1;
  },
});
