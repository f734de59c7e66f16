import type { Command } from "commander";
import { commands, type CommandName } from "./commands.js";

/** What every verb receives: its parsed flags plus the shared `--json` / `--root`. */
export type RunContext = {
  /** The verb whose output this is: it names the `format` of the `--json` document (see printJson). */
  verb: CommandName;
  json: boolean;
  /** The repository root, resolved on first use (see repo/find-root.ts). */
  root(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
};

export type CommandSpec = {
  name: CommandName;
  summary: string;
  /** Adds positional arguments and verb-specific options to the commander command. */
  configure?(cmd: Command): Command;
  /** Returns the exit code: 0 ok, 1 findings, 3 a check crashed. Usage errors are thrown as UsageError (exit 2). */
  run(ctx: RunContext, args: string[], opts: Record<string, unknown>): Promise<0 | 1 | 3>;
};

/** A verb's spec; its summary is the one `ihub --help` lists from the table in commands.ts. */
export function defineCommand(name: CommandName, spec: Omit<CommandSpec, "name" | "summary">): CommandSpec {
  return { name, summary: commands[name].summary, ...spec };
}

/**
 * Prints one JSON document on stdout: the machine-readable twin of what the human reporter prints,
 * headed by the `format` of the verb that printed it.
 */
export function printJson(ctx: RunContext, value: object): void {
  ctx.out(JSON.stringify(withFormat(ctx.verb, value), null, 2) + "\n");
}

/** A verb's document as its `--json` prints it: headed by the verb's `format`. */
export function withFormat<V extends object>(verb: CommandName, value: V): { format: string } & V {
  return { format: commands[verb].format, ...value };
}
