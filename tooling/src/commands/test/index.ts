import { defineCommand, printJson } from "../../cli/command.js";
import { progress } from "../../report/progress.js";
import { selectIntegrations, withTargetOptions } from "../../repo/select-integrations.js";
import { renderAnnotations } from "./github-annotations.js";
import { renderHuman } from "./human-report.js";
import { countCases, runTests } from "./run-tests.js";

export default defineCommand("test", {
  configure: withTargetOptions,
  async run(ctx, args, opts) {
    const { dirs, changed } = await selectIntegrations("test", await ctx.root(), args, opts);
    const run = await runTests(dirs, progress("test", await countCases(dirs)));
    if (ctx.json) {
      printJson(ctx, { ok: run.ok, counts: { integrations: run.integrations.length, ...run.counts }, integrations: run.integrations, ...(changed ? { changed } : {}) });
    } else {
      ctx.out(renderHuman(run));
      // On GitHub Actions the failures also become annotations on the case files' lines.
      if (process.env.GITHUB_ACTIONS === "true") for (const line of renderAnnotations(run)) ctx.out(line + "\n");
    }
    return run.ok ? 0 : 1;
  },
});
