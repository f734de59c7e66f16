import { defineCommand, printJson } from "../../cli/command.js";
import { commands, type CommandName } from "../../cli/commands.js";
import { IhubError } from "../../errors.js";
import { colors } from "../../report/colors.js";
import { renderCoded, renderHint } from "../../report/render-error.js";

/**
 * The stages of the design, in order (the design's "test" stage goes right after "validate").
 * Each is the verb of the same name run with its defaults plus STAGE_OPTIONS.
 */
export const PIPELINE_STAGES = ["validate", "test", "version", "tag", "bundle", "publish", "catalog"] as const satisfies readonly CommandName[];
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/**
 * Where a stage differs from its verb run bare. The pipeline runs on main, where the merge base
 * with main is HEAD itself: the version gate measures each integration from its previous
 * release tag instead (docs/release.md, "The pipeline on main").
 */
export const STAGE_OPTIONS: Partial<Record<PipelineStage, Record<string, unknown>>> = { version: { sinceRelease: true } };

type StageResult = { stage: PipelineStage; exitCode: number; ms: number; output?: unknown; error?: ReturnType<IhubError["toJSON"]> };

/** A stage's --json document; kept as text when a stage printed something else. */
function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export default defineCommand("pipeline", {
  async run(ctx) {
    const results: StageResult[] = [];
    // Stages print their own human output; under --json each stage's JSON document is kept with its result.
    for (const stage of PIPELINE_STAGES) {
      const spec = (await commands[stage].load()).default;
      const started = performance.now();
      if (!ctx.json) ctx.err(colors.bold(`\n▶ ${stage}\n`));
      const captured: string[] = [];
      const stageCtx = { ...ctx, verb: stage, ...(ctx.json ? { out: (t: string) => void captured.push(t) } : {}) };
      let exitCode: number;
      let error: IhubError | undefined;
      try {
        exitCode = await spec.run(stageCtx, [], { ...STAGE_OPTIONS[stage] });
      } catch (thrown) {
        // A stage's typed error ends the pipeline with that stage named, like a failed check.
        if (!(thrown instanceof IhubError)) throw thrown;
        error = thrown;
        exitCode = thrown.exitCode;
        if (!ctx.json) ctx.err(renderCoded(thrown));
      }
      const output = ctx.json && captured.length ? parseOutput(captured.join("")) : undefined;
      results.push({ stage, exitCode, ms: Math.round(performance.now() - started), ...(output !== undefined ? { output } : {}), ...(error ? { error: error.toJSON() } : {}) });
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
