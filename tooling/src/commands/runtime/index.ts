import { defineCommand, printJson, withFormat } from "../../cli/command.js";
import { IhubError, UsageError } from "../../errors.js";
import { parsePort } from "../../cli/port-option.js";
import { DEFAULT_PORT, rotateRuntimeKey, ServiceError, startRuntime, VaultError } from "@ihub/runtime/service";

const collect = (value: string, previous: string[]) => [...previous, value];

/** A ServiceError from setting up is about the flags or the environment (exit 2); a VaultError about the keys (exit 1). */
function usageOf(error: unknown): never {
  if (error instanceof ServiceError) throw new UsageError(error.message, error.hint);
  if (error instanceof VaultError) throw new IhubError(error.code, error.message, error.hint === undefined ? {} : { hint: error.hint });
  throw error;
}

export default defineCommand("runtime", {
  configure: (cmd) =>
    cmd
      .argument("<action>", "start | rotate-key")
      .option("--registry <location>", "registry directory, HTTP URL or oci://host/ns (default: .ihub/registry)")
      .option("--db <file|url>", "SQLite database file (default: .ihub/runtime.sqlite) or postgres:// URL of a database several runtimes share")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--port <n>", "port (0 picks a free one)", String(DEFAULT_PORT))
      .option("--trusted-key <file>", "PEM public key whose bundle signatures are accepted (repeatable)", collect, [])
      .option("--public-url <url>", "https origin OAuth providers redirect back to (default: IHUB_RUNTIME_PUBLIC_URL, else the origin of the start request)")
      .option("--upgrade-poll <seconds>", "how often installs that follow their range poll the registry", "300"),
  async run(ctx, args, opts) {
    // The defaults live in the repository's .ihub/; outside a repository they are relative to the current folder.
    const root = await ctx.root().catch(() => process.cwd());
    const db = typeof opts.db === "string" ? { db: opts.db } : {};
    if (args[0] === "rotate-key") {
      const rotated = await rotateRuntimeKey({ root, ...db }).catch(usageOf);
      if (ctx.json) printJson(ctx, rotated);
      else ctx.out(`re-sealed ${rotated.resealed} credential(s) in ${rotated.db} with key ${rotated.keyId}; IHUB_RUNTIME_PREVIOUS_KEYS can now be dropped\n`);
      return 0;
    }
    if (args[0] !== "start") throw new UsageError(`unknown action ${args[0]}`, "Actions: start, rotate-key.");
    const port = parsePort(opts.port);
    const poll = Number(opts.upgradePoll);
    if (!Number.isFinite(poll) || poll < 1 || poll > 86_400) throw new UsageError(`--upgrade-poll ${String(opts.upgradePoll)} is not a number of seconds from 1 to 86400`);
    const started = await startRuntime({
      root,
      ...(typeof opts.registry === "string" ? { registry: opts.registry } : {}),
      ...db,
      host: String(opts.host),
      port,
      trustedKeyFiles: opts.trustedKey as string[],
      ...(typeof opts.publicUrl === "string" ? { publicUrl: opts.publicUrl } : {}),
      upgradePollMs: poll * 1000,
    }).catch(usageOf);
    // One line, not printJson's indented document: a supervisor reads the URL from the first line.
    if (ctx.json) ctx.out(JSON.stringify(withFormat("runtime", { url: started.url })) + "\n");
    else ctx.out(`runtime listening on ${started.url} (database ${started.db}; SIGTERM or Ctrl-C stops it after in-flight runs)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void started.app.close().then(resolve, resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
});
