import { asDocument, defineStage } from "../../cli/stage-command.js";
import { progress } from "../../report/progress.js";
import { selectIntegrations, withTargetOptions } from "../../repo/select-integrations.js";
import { renderAnnotations } from "./github-annotations.js";
import { renderHuman } from "./human-report.js";
import { countCases, runTests } from "./run-tests.js";

export default defineStage("test", {
  configure: withTargetOptions,
  async run(ctx, args, opts) {
    const { dirs, changed } = await selectIntegrations("test", await ctx.root(), args, opts);
    const run = await runTests(dirs, progress("test", await countCases(dirs)));
    return { ok: run.ok, counts: { integrations: run.integrations.length, ...run.counts }, integrations: run.integrations, ...(changed ? { changed } : {}) };
  },
  document: asDocument,
  // On GitHub Actions the failures also become annotations on the case files' lines.
  reporters: { human: renderHuman, github: renderAnnotations },
});
