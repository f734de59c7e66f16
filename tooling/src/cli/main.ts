import { Command, CommanderError, Option } from "commander";
import { IhubError } from "../errors.js";
import { findRoot } from "../repo/find-root.js";
import { colors } from "../report/colors.js";
import type { CommandSpec, RunContext } from "./command.js";
import { commands, type CommandName } from "./commands.js";

const EXIT_USAGE = 2;

function makeContext(opts: { json?: boolean; root?: string }): RunContext {
  let rootPromise: Promise<string> | undefined;
  return {
    json: Boolean(opts.json),
    root: () => (rootPromise ??= findRoot(opts.root)),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
}

function reportError(error: unknown, json: boolean): number {
  if (error instanceof IhubError) {
    if (json) {
      process.stdout.write(JSON.stringify({ ok: false, error: error.toJSON() }, null, 2) + "\n");
    } else {
      const where = [error.location.file, error.location.line, error.location.column].filter((x) => x !== undefined).join(":");
      process.stderr.write(`${colors.red("error")} ${colors.dim(error.code)} ${where ? where + " " : ""}${error.message}\n`);
      if (error.hint) process.stderr.write(`  ${colors.cyan("hint")} ${error.hint}\n`);
    }
    return error.exitCode;
  }
  // An unexpected failure is a bug in ihub, not in the user's repo: show the stack to report it.
  process.stderr.write(`${colors.red("internal error")} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

function addCommand(program: Command, spec: CommandSpec, setExit: (code: number) => void): void {
  let cmd = program
    .command(spec.name)
    .description(spec.summary)
    .addOption(new Option("--json", "print machine-readable JSON on stdout"))
    .addOption(new Option("--root <dir>", "repository root (default: nearest folder upward holding integrations/)"));
  if (spec.configure) cmd = spec.configure(cmd);
  cmd.action(async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const opts = command.opts();
    const ctx = makeContext(opts);
    try {
      setExit(await spec.run(ctx, command.args, opts));
    } catch (error) {
      setExit(reportError(error, ctx.json));
    }
  });
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command("ihub")
    .description("Validate, test, version, tag, bundle, publish, catalog and run integrations.")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const verb = argv.find((a) => !a.startsWith("-"));
  // Only the verb being run is imported; `--help` on its own lists them all.
  const names = verb && verb in commands ? [verb as CommandName] : (Object.keys(commands) as CommandName[]);
  for (const name of names) {
    const spec = (await commands[name]()).default;
    addCommand(program, spec, (code) => (exitCode = code));
    program.commands.at(-1)?.exitOverride();
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : EXIT_USAGE;
    }
    return reportError(error, argv.includes("--json"));
  }
  return exitCode;
}
