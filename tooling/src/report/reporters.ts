/**
 * The reporters a stage document is printed with, as a registry: the names are its keys, and a
 * stage supplies only what is its own (the human rendering, GitHub annotations where it has
 * any); the JSON document is the same for every stage.
 */
import { printJson, type RunContext } from "../cli/command.js";

export type DocumentReporters<R> = {
  human(result: R): string;
  /** GitHub Actions workflow commands (annotations), one per line. */
  github?(result: R): string[];
};

/** `result` is what the stage computed, `document` its typed `--json` document. */
type Reporter = <R>(ctx: RunContext, result: R, document: object, own: DocumentReporters<R>) => void;

export const reporters = {
  human: (ctx, result, _document, own) => ctx.out(own.human(result)),
  json: (ctx, _result, document) => printJson(ctx, document),
  github: (ctx, result, _document, own) => {
    for (const line of own.github?.(result) ?? []) ctx.out(line + "\n");
  },
} satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof reporters;

/** Under `--json` the document alone; else the human report, plus annotations on GitHub Actions. */
export function reportersFor(json: boolean, env: NodeJS.ProcessEnv = process.env): ReporterName[] {
  if (json) return ["json"];
  return env.GITHUB_ACTIONS === "true" ? ["human", "github"] : ["human"];
}

export function printDocument<R>(ctx: RunContext, result: R, document: object, own: DocumentReporters<R>): void {
  for (const name of reportersFor(ctx.json)) reporters[name](ctx, result, document, own);
}
