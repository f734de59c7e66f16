import { defineCommand, printJson, withFormat } from "../../cli/command.js";
import type { StageCommandSpec } from "../../cli/stage-command.js";
import type { StageName } from "../../documents/stage-documents.js";
import { IhubError } from "../../errors.js";
import { colors } from "../../report/colors.js";
import { renderCoded } from "../../report/render-error.js";

/**
 * The stages of the design, in order (the design's "test" stage goes right after "validate").
 * Each is the stage function of the verb of the same name, run with its defaults plus STAGE_OPTIONS.
 */
export const PIPELINE_STAGES = ["validate", "test", "version", "tag", "bundle", "publish", "catalog"] as const satisfies readonly StageName[];
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

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
 * Where a stage differs from its verb run bare. The pipeline runs on main, where the merge base
 * with main is HEAD itself: the version gate measures each integration from its previous
 * release tag instead (docs/release.md, "The pipeline on main").
 */
export const STAGE_OPTIONS: Partial<Record<PipelineStage, Record<string, unknown>>> = { version: { sinceRelease: true } };

type StageResult = { stage: PipelineStage; exitCode: number; ms: number; output?: object; error?: ReturnType<IhubError["toJSON"]> };

export default defineCommand("pipeline", {
  async run(ctx) {
    const results: StageResult[] = [];
    // Stages print their own human output; under --json each stage's document is kept with its result.
    for (const stage of PIPELINE_STAGES) {
      const spec = (await STAGES[stage]()).default;
      const started = performance.now();
      if (!ctx.json) ctx.err(colors.bold(`\n▶ ${stage}\n`));
      let exitCode: number;
      let output: object | undefined;
      let error: IhubError | undefined;
      try {
        const document = await spec.stage({ ...ctx, verb: stage }, [], { ...STAGE_OPTIONS[stage] }, !ctx.json);
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
    const ok = results.every((r) => r.exitCode === 0) && results.length === PIPELINE_STAGES.length;
    if (ctx.json) printJson(ctx, { ok, stages: results });
    else {
      const failed = results.find((r) => r.exitCode !== 0);
      const verdict = ok ? colors.green("pipeline ok") : colors.red(`pipeline failed at ${failed?.stage ?? "?"}`);
      ctx.err(`\n${verdict} (${results.map((r) => `${r.stage} ${r.ms}ms`).join(", ")})\n`);
    }
    return ok ? 0 : 1;
  },
});
