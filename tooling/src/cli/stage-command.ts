/**
 * A pipeline stage as a verb: a function from the run's options to the stage's result, the
 * typed document that result is (see documents/stage-documents.ts), and how to render it. The
 * verb prints through the reporters; the pipeline calls `run` and `document` directly.
 */
import type { Command } from "commander";
import type { StageDocument, StageName } from "../documents/stage-documents.js";
import { printDocument, type DocumentReporters } from "../report/reporters.js";
import { defineCommand, type CommandSpec, type RunContext } from "./command.js";

/**
 * `R` is what the stage computes; for most stages it is the document itself. A stage whose human
 * report needs more than its `--json` document (version prints a hint about HEAD) returns more
 * and says in `document` which part is the document.
 */
export type StageSpec<S extends StageName, R = StageDocument<S>> = {
  configure?(cmd: Command): Command;
  /** Runs the stage; progress and notes go to `ctx.err`, nothing to `ctx.out`. Usage errors are thrown. */
  run(ctx: RunContext, args: string[], opts: Record<string, unknown>): Promise<R>;
  document(result: R): StageDocument<S>;
  /** Render the result; the JSON reporter prints `document(result)`. */
  reporters: DocumentReporters<R>;
  /** What the verb (not the pipeline) does once its document is printed: `catalog --serve` serves until stopped. */
  followUp?(ctx: RunContext, result: R): Promise<void>;
  /** The exit code when it is not just ok (0) or not ok (1). */
  exitCode?(document: StageDocument<S>): 3 | undefined;
};

export type StageCommandSpec = CommandSpec & {
  /** The stage's document, computed without printing it: what the pipeline keeps. */
  stage(ctx: RunContext, args: string[], opts: Record<string, unknown>, print: boolean): Promise<{ ok: boolean }>;
};

/** The document of a stage whose result is its document. */
export const asDocument = <D>(result: D): D => result;

export function defineStage<S extends StageName, R>(name: S, spec: StageSpec<S, R>): StageCommandSpec {
  const compute = async (ctx: RunContext, args: string[], opts: Record<string, unknown>) => {
    const result = await spec.run(ctx, args, opts);
    return { result, document: spec.document(result) };
  };
  const stage = async (ctx: RunContext, args: string[], opts: Record<string, unknown>, print: boolean) => {
    const { result, document } = await compute(ctx, args, opts);
    if (print) printDocument(ctx, result, document, spec.reporters);
    return document;
  };
  const command = defineCommand(name, {
    ...(spec.configure ? { configure: spec.configure } : {}),
    run: async (ctx, args, opts) => {
      const { result, document } = await compute(ctx, args, opts);
      printDocument(ctx, result, document, spec.reporters);
      await spec.followUp?.(ctx, result);
      return spec.exitCode?.(document) ?? (document.ok ? 0 : 1);
    },
  });
  return { ...command, stage };
}
