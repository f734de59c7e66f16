import { defineCommand, printJson } from "../../cli/command.js";
import { progress } from "../../report/progress.js";
import { listIntegrationDirs } from "../../repo/list-integrations.js";
import { resolveTargets } from "../../validate/resolve-targets.js";
import { renderHuman } from "./human-report.js";
import { countCases, runTests } from "./run-tests.js";

/** Version of the `--json` document; bumped only on an incompatible change (see docs/testing.md). */
export const TEST_JSON_FORMAT = "ihub.test/v1";

export default defineCommand({
  name: "test",
  summary: "run every integration's test cases in the real sandbox with recorded fixtures",
  configure: (cmd) => cmd.argument("[targets...]", "slugs or paths of integrations (default: all)"),
  async run(ctx, args) {
    const root = await ctx.root();
    const all = await listIntegrationDirs(root);
    const only = args.length ? new Set(resolveTargets(root, all, args)) : null;
    const dirs = only ? all.filter((d) => only.has(d.slug)) : all;
    const run = await runTests(dirs, progress("test", await countCases(dirs)));
    if (ctx.json) {
      printJson(ctx, { format: TEST_JSON_FORMAT, ok: run.ok, counts: { integrations: run.integrations.length, ...run.counts }, integrations: run.integrations });
    } else {
      ctx.out(renderHuman(run));
    }
    return run.ok ? 0 : 1;
  },
});
