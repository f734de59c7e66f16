import type { Command } from "commander";

/** What every verb receives: its parsed flags plus the shared `--json` / `--root`. */
export type RunContext = {
  json: boolean;
  /** The repository root, resolved on first use (see repo/find-root.ts). */
  root(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
};

export type CommandSpec = {
  name: string;
  summary: string;
  /** Adds positional arguments and verb-specific options to the commander command. */
  configure?(cmd: Command): Command;
  /** Returns the exit code: 0 ok, 1 findings. Usage errors are thrown as UsageError (exit 2). */
  run(ctx: RunContext, args: string[], opts: Record<string, unknown>): Promise<0 | 1>;
};

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** Prints one JSON document on stdout: the machine-readable twin of what the human reporter prints. */
export function printJson(ctx: RunContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2) + "\n");
}
