import { defineCommand, printJson } from "../../cli/command.js";
import { progress } from "../../report/progress.js";
import { selectIntegrations, withTargetOptions } from "../../repo/select-integrations.js";
import { renderAnnotations } from "./github-annotations.js";
import { renderHuman } from "./human-report.js";
import { countCases, runTests } from "./run-tests.js";

/** Version of the `--json` document; bumped only on an incompatible change (see docs/testing.md). */
export const TEST_JSON_FORMAT = "ihub.test/v1";

export default defineCommand({
  name: "test",
  summary: "run every integration's test cases in the real sandbox with recorded fixtures",
  configure: withTargetOptions,
  async run(ctx, args, opts) {
    const { dirs, changed } = await selectIntegrations("test", await ctx.root(), args, opts);
    const run = await runTests(dirs, progress("test", await countCases(dirs)));
    if (ctx.json) {
      printJson(ctx, { format: TEST_JSON_FORMAT, ok: run.ok, counts: { integrations: run.integrations.length, ...run.counts }, integrations: run.integrations, ...(changed ? { changed } : {}) });
    } else {
      ctx.out(renderHuman(run));
      // On GitHub Actions the failures also become annotations on the case files' lines.
      if (process.env.GITHUB_ACTIONS === "true") for (const line of renderAnnotations(run)) ctx.out(line + "\n");
    }
    return run.ok ? 0 : 1;
  },
});
