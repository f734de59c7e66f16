import { Command, CommanderError, Option } from "commander";
import { EXIT, UsageError } from "../errors.js";
import { packageVersion } from "../package-root.js";
import { findRoot } from "../repo/find-root.js";
import type { CommandSpec, RunContext } from "./command.js";
import { commandNames, commands, isCommandName, type CommandName } from "./commands.js";
import { reportError } from "./report-error.js";

function makeContext(verb: CommandName, opts: { json?: boolean; root?: string }): RunContext {
  let rootPromise: Promise<string> | undefined;
  return {
    verb,
    json: Boolean(opts.json),
    root: () => (rootPromise ??= findRoot(opts.root)),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
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
    const ctx = makeContext(spec.name, opts);
    try {
      setExit(await spec.run(ctx, command.args, opts));
    } catch (error) {
      setExit(reportError(error, ctx.json));
    }
  });
}

/** Commander's own complaint (unknown option or verb, missing argument) as the typed usage error every other one is. */
function usageError(error: CommanderError, verb: CommandName | undefined): UsageError {
  const hint = verb ? `Run ihub ${verb} --help for its usage.` : "Run ihub --help to list the commands.";
  // `ihub` alone: commander has printed the help, which is the usage.
  if (error.code === "commander.help") return new UsageError("no command given", hint);
  return new UsageError(error.message.replace(/^error: /, ""), hint);
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  let exitCode: number = EXIT.ok;
  const program = new Command("ihub")
    .description("Validate, test, version, tag, bundle, publish, catalog and run integrations.")
    .version(packageVersion(), "-V, --version", "print the version of ihub")
    // Program options only before the verb: `ihub pr-comment --version FILE` is pr-comment's option.
    .enablePositionalOptions()
    .exitOverride()
    // Errors are reported by reportError, like every other failure; under --json stdout carries the document.
    .configureOutput({ writeErr: (s) => void (json || process.stderr.write(s)), outputError: () => {} });
  const positional = argv.filter((a) => !a.startsWith("-"));
  const named = positional[0] === "help" ? positional[1] : positional[0];
  const verb = isCommandName(named) ? named : undefined;
  // Only the verb being run is imported; the others are listed from the table for `--help`.
  for (const name of commandNames) {
    if (name === verb) addCommand(program, (await commands[name].load()).default, (code) => (exitCode = code));
    else program.command(name).description(commands[name].summary);
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) return reportError(error, json);
    // --help and --version end here too, successfully.
    if (error.exitCode === 0) return EXIT.ok;
    return reportError(usageError(error, verb), json);
  }
  return exitCode;
}
