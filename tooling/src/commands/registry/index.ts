import path from "node:path";
import { mkdir, stat } from "node:fs/promises";
import { defineCommand, printJson } from "../../cli/command.js";
import { IhubError, UsageError } from "../../errors.js";
import { createRegistryServer, listen } from "../../registry/serve-registry.js";
import { REGISTRY_TOKEN_ENV } from "../../registry/publish-protocol.js";
import { defaultPaths } from "../../repo/defaults.js";

export default defineCommand("registry", {
  configure: (cmd) =>
    cmd
      .argument("<action>", "serve")
      .option("--dir <dir>", "registry directory (default: .ihub/registry)")
      .option("--port <n>", "port (0 picks a free one)", "8480")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--allow-publish", "also accept `ihub publish --registry http://…` carrying the bearer token in IHUB_REGISTRY_TOKEN"),
  async run(ctx, args, opts) {
    if (args[0] !== "serve") throw new UsageError(`unknown action ${args[0]}`, "The only action is `serve`.");
    const dir = typeof opts.dir === "string" ? path.resolve(opts.dir) : defaultPaths(await ctx.root()).registry;
    const publishToken = opts.allowPublish ? process.env[REGISTRY_TOKEN_ENV] : undefined;
    if (opts.allowPublish && !publishToken) throw new UsageError(`--allow-publish needs a token in ${REGISTRY_TOKEN_ENV}`, "Generate one (e.g. openssl rand -hex 32) and give publishers the same value.");
    // A server that accepts publishes may start empty; one that only serves needs something to serve.
    if (publishToken) await mkdir(dir, { recursive: true });
    else if (!(await stat(dir).catch(() => null))?.isDirectory()) {
      throw new IhubError("IH_REGISTRY_MISSING", `registry directory ${dir} does not exist`, { hint: "Publish first (ihub publish), pass --dir, or start with --allow-publish." });
    }
    const port = Number(opts.port ?? 8480);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${String(opts.port)} is not a port number`);
    const server = createRegistryServer(dir, { publishToken });
    const { url } = await listen(server, port, String(opts.host ?? "127.0.0.1"));
    if (ctx.json) printJson(ctx, { url, dir, publish: Boolean(publishToken) });
    else ctx.out(`serving ${dir} at ${url}${publishToken ? ", accepting publishes" : ""} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
});
