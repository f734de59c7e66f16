import { asDocument, defineStage } from "../../cli/stage-command.js";
import { EXIT, UsageError } from "../../errors.js";
import { progress } from "../../report/progress.js";
import { selectIntegrations, withTargetOptions } from "../../repo/select-integrations.js";
import { validateRepo } from "../../validate/validate-repo.js";
import { renderHuman } from "./human-report.js";

export default defineStage("validate", {
  configure: (cmd) =>
    withTargetOptions(cmd).option("--jobs <n>", "threads to validate with (default: 1; more pays off only on idle cores and large sets)"),
  async run(ctx, args, opts) {
    const root = await ctx.root();
    const jobs = opts.jobs === undefined ? 1 : Number(opts.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${String(opts.jobs)} is not a whole number from 1 to 64`, "Pass e.g. --jobs 2 for two threads.");
    const { dirs, changed } = await selectIntegrations("validate", root, args, opts);
    const result = await validateRepo(root, { only: dirs.map((d) => d.slug), workers: jobs - 1, progress: progress("validate", dirs.length) });
    return {
      ok: result.counts.error === 0,
      integrations: result.integrations,
      counts: { integrations: result.integrations.length, ...result.counts },
      findings: result.findings,
      ...(changed ? { changed } : {}),
    };
  },
  document: asDocument,
  reporters: { human: renderHuman },
  exitCode: (document) => (document.findings.some((f) => f.code === "IH099") ? EXIT.internal : undefined),
});
