import path from "node:path";
import { mkdir, stat } from "node:fs/promises";
import { defineCommand, printJson } from "../../cli/command.js";
import { IhubError, UsageError } from "../../errors.js";
import { parsePort } from "../../cli/port-option.js";
import { createRegistryServer, listen } from "../../registry/serve-registry.js";
import type { PublishAccess } from "../../registry/publish-endpoint.js";
import { REGISTRY_TOKEN_ENV } from "../../registry/publish-protocol.js";
import { readTrustedPublisherKeys } from "../../registry/trusted-publishers.js";
import { defaultPaths } from "../../repo/defaults.js";
import { serveUntilSignal } from "../../cli/until-signal.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * Publishing needs a token (who may write) and at least one trusted key (whose signatures are
 * accepted). Without a key there is nothing safe to fall back on: the request's own key is the
 * hole this closes, and the registry's keys.json is written by the server itself, so trusting it
 * would be circular. A server that would refuse every publish is a mistake worth stopping at.
 */
async function publishAccess(allowPublish: boolean, keyFiles: readonly string[]): Promise<PublishAccess | undefined> {
  if (!allowPublish) {
    if (keyFiles.length) throw new UsageError("--trusted-key only applies with --allow-publish", "Serving reads no keys; clients verify with their own trusted keys.");
    return undefined;
  }
  const token = process.env[REGISTRY_TOKEN_ENV];
  if (!token) throw new UsageError(`--allow-publish needs a token in ${REGISTRY_TOKEN_ENV}`, "Generate one (e.g. openssl rand -hex 32) and give publishers the same value.");
  if (!keyFiles.length) {
    throw new UsageError("--allow-publish needs at least one --trusted-key FILE", "Pass the public key (SPKI PEM) of each publisher whose signatures this registry accepts; the key a request carries is never trusted.");
  }
  return { token, trustedKeys: await readTrustedPublisherKeys(keyFiles) };
}

export default defineCommand("registry", {
  configure: (cmd) =>
    cmd
      .argument("<action>", "serve")
      .option("--dir <dir>", "registry directory (default: .ihub/registry)")
      .option("--port <n>", "port (0 picks a free one)", "8480")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--allow-publish", "also accept `ihub publish --registry http://…` carrying the bearer token in IHUB_REGISTRY_TOKEN, signed by a --trusted-key")
      .option("--trusted-key <file>", "with --allow-publish: PEM public key whose signed records may be published (repeatable)", collect, []),
  async run(ctx, args, opts) {
    if (args[0] !== "serve") throw new UsageError(`unknown action ${args[0]}`, "The only action is `serve`.");
    const dir = typeof opts.dir === "string" ? path.resolve(opts.dir) : defaultPaths(await ctx.root()).registry;
    const publish = await publishAccess(Boolean(opts.allowPublish), opts.trustedKey as string[]);
    // A server that accepts publishes may start empty; one that only serves needs something to serve.
    if (publish) await mkdir(dir, { recursive: true });
    else if (!(await stat(dir).catch(() => null))?.isDirectory()) {
      throw new IhubError("IH_REGISTRY_MISSING", `registry directory ${dir} does not exist`, { hint: "Publish first (ihub publish), pass --dir, or start with --allow-publish." });
    }
    const port = parsePort(opts.port ?? 8480);
    const server = createRegistryServer(dir, publish ? { publish } : {});
    const { url } = await listen(server, port, String(opts.host ?? "127.0.0.1"));
    if (ctx.json) printJson(ctx, { url, dir, publish: Boolean(publish), trustedKeys: publish?.trustedKeys.map((k) => k.keyId) ?? [] });
    else ctx.out(`serving ${dir} at ${url}${publish ? `, accepting publishes signed by ${publish.trustedKeys.map((k) => k.keyId).join(", ")}` : ""} (Ctrl-C to stop)\n`);
    await serveUntilSignal(server);
    return 0;
  },
});
