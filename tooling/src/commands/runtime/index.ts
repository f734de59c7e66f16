import { defineCommand } from "../../cli/command.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_PORT, startRuntime } from "../../../../runtime/src/service/start-runtime.js";
import { ServiceError } from "../../../../runtime/src/service/service-error.js";

const collect = (value: string, previous: string[]) => [...previous, value];

export default defineCommand({
  name: "runtime",
  summary: "run the runtime service (ihub runtime start [--registry DIR|URL|oci://…] [--db FILE] [--host H] [--port N] [--trusted-key FILE ...])",
  configure: (cmd) =>
    cmd
      .argument("<action>", "start")
      .option("--registry <location>", "registry directory, HTTP URL or oci://host/ns (default: .ihub/registry)")
      .option("--db <file>", "SQLite database file (default: .ihub/runtime.sqlite)")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--port <n>", "port (0 picks a free one)", String(DEFAULT_PORT))
      .option("--trusted-key <file>", "PEM public key whose bundle signatures are accepted (repeatable)", collect, []),
  async run(ctx, args, opts) {
    if (args[0] !== "start") throw new UsageError(`unknown action ${args[0]}`, "The only action is `start`.");
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${String(opts.port)} is not a port number`);
    // The defaults live in the repository's .ihub/; outside a repository they are relative to the current folder.
    const root = await ctx.root().catch(() => process.cwd());
    let started;
    try {
      started = await startRuntime({
        root,
        ...(typeof opts.registry === "string" ? { registry: opts.registry } : {}),
        ...(typeof opts.db === "string" ? { db: opts.db } : {}),
        host: String(opts.host),
        port,
        trustedKeyFiles: opts.trustedKey as string[],
      });
    } catch (error) {
      if (error instanceof ServiceError) throw new UsageError(error.message, error.hint);
      throw error;
    }
    if (ctx.json) ctx.out(JSON.stringify({ url: started.url }) + "\n");
    else ctx.out(`runtime listening on ${started.url} (database ${started.db}; SIGTERM or Ctrl-C stops it after in-flight runs)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void started.app.close().then(resolve, resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
});
