import { defineCommand, printJson, withFormat } from "../../cli/command.js";
import type { StageCommandSpec } from "../../cli/stage-command.js";
import type { StageName } from "../../documents/stage-documents.js";
import { IhubError } from "../../errors.js";
import { colors } from "../../report/colors.js";
import { renderCoded } from "../../report/render-error.js";
import { DEFAULT_RELEASE_BRANCH, judgeRelease, readCheckout, RELEASE_BRANCH_ENV, releaseBranchOf } from "./release-branch.js";

/**
 * The stages of the design, in order (the design's "test" stage goes right after "validate").
 * Each is the stage function of the verb of the same name, run with its defaults plus STAGE_OPTIONS.
 */
export const PIPELINE_STAGES = ["validate", "test", "version", "tag", "bundle", "publish", "catalog"] as const satisfies readonly StageName[];
export type PipelineStage = (typeof PIPELINE_STAGES)[number];
/** What runs off the release branch: the checks a pull request gets, nothing that writes a release. */
export const GATE_STAGES = ["validate", "test", "version"] as const satisfies readonly PipelineStage[];

/** Each stage's module, loaded when the pipeline reaches it. */
const STAGES: Record<PipelineStage, () => Promise<{ default: StageCommandSpec }>> = {
  validate: () => import("../validate/index.js"),
  test: () => import("../test/index.js"),
  version: () => import("../version/index.js"),
  tag: () => import("../tag/index.js"),
  bundle: () => import("../bundle/index.js"),
  publish: () => import("../publish/index.js"),
  catalog: () => import("../catalog/index.js"),
};

/**
 * Where a stage differs from its verb run bare, on the release branch. There the merge base with
 * main is HEAD itself: the version gate measures each integration from its previous release tag
 * instead (docs/release.md, "The pipeline on main"). Elsewhere the gate compares with the base
 * branch, as on a pull request.
 */
export const STAGE_OPTIONS: Partial<Record<PipelineStage, Record<string, unknown>>> = { version: { sinceRelease: true } };

type StageResult = { stage: PipelineStage; exitCode: number; ms: number; output?: object; error?: ReturnType<IhubError["toJSON"]> };

export default defineCommand("pipeline", {
  configure: (cmd) => cmd.option("--release-branch <name>", `the branch on which the pipeline tags, bundles, publishes and builds the catalog; elsewhere it runs the gates only (default: ${RELEASE_BRANCH_ENV} or ${DEFAULT_RELEASE_BRANCH})`),
  async run(ctx, _args, opts) {
    const guard = judgeRelease(await readCheckout(await ctx.root(), process.env), releaseBranchOf(opts.releaseBranch, process.env));
    const planned = guard.release ? PIPELINE_STAGES : GATE_STAGES;
    const results: StageResult[] = [];
    // Stages print their own human output; under --json each stage's document is kept with its result.
    for (const stage of planned) {
      const spec = (await STAGES[stage]()).default;
      const started = performance.now();
      if (!ctx.json) ctx.err(colors.bold(`\n▶ ${stage}\n`));
      let exitCode: number;
      let output: object | undefined;
      let error: IhubError | undefined;
      try {
        const document = await spec.stage({ ...ctx, verb: stage }, [], guard.release ? { ...STAGE_OPTIONS[stage] } : {}, !ctx.json);
        exitCode = document.ok ? 0 : 1;
        output = withFormat(stage, document);
      } catch (thrown) {
        // A stage's typed error ends the pipeline with that stage named, like a failed check.
        if (!(thrown instanceof IhubError)) throw thrown;
        error = thrown;
        exitCode = thrown.exitCode;
        if (!ctx.json) ctx.err(renderCoded(thrown));
      }
      results.push({ stage, exitCode, ms: Math.round(performance.now() - started), ...(output && ctx.json ? { output } : {}), ...(error ? { error: error.toJSON() } : {}) });
      if (exitCode !== 0) break;
    }
    const ok = results.every((r) => r.exitCode === 0) && results.length === planned.length;
    const release = { branch: guard.branch, releaseBranch: guard.releaseBranch, released: guard.release && ok, ...(guard.reason ? { reason: guard.reason } : {}) };
    if (ctx.json) printJson(ctx, { ok, release, stages: results });
    else {
      const failed = results.find((r) => r.exitCode !== 0);
      const verdict = !ok ? colors.red(`pipeline failed at ${failed?.stage ?? "?"}`) : guard.release ? colors.green("pipeline ok") : colors.green("gates ok");
      ctx.err(`\n${verdict} (${results.map((r) => `${r.stage} ${r.ms}ms`).join(", ")})\n`);
      if (guard.reason) ctx.err(colors.yellow(`stopped after the gates: ${guard.reason} (--release-branch, ${RELEASE_BRANCH_ENV})\n`));
    }
    return ok ? 0 : 1;
  },
});
