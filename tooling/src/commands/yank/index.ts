import { defineCommand, printJson } from "../../cli/command.js";
import { yankOverHttp } from "../../publish/publish-http.js";
import { registryArgument } from "../../publish/registry-argument.js";
import { yankVersion } from "../../publish/yank.js";
import { REGISTRY_TOKEN_ENV } from "../../registry/publish-protocol.js";
import { UsageError } from "../../errors.js";
import { parseTagName } from "../../repo/tag-name.js";
import { defaultPaths } from "../../repo/defaults.js";
import { colors } from "../../report/colors.js";

export default defineCommand("yank", {
  configure: (cmd) =>
    cmd
      .argument("<slug@version>", "the version to yank")
      .requiredOption("--reason <text>", "why (shown to everyone who resolves it)")
      .option("--registry <dir|url>", "directory registry, or the http(s) URL of `ihub registry serve --allow-publish` (token in IHUB_REGISTRY_TOKEN) (default: .ihub/registry)"),
  async run(ctx, args, opts) {
    const target = parseTagName(args[0] ?? "");
    if (!target) throw new UsageError(`${args[0]} is not slug@version`, "For example: ihub yank weather@1.2.3 --reason 'leaks tokens in logs'");
    const reason = String(opts.reason).trim();
    if (!reason || reason.length > 1000) throw new UsageError("--reason must be 1 to 1000 characters");
    const location = registryArgument(typeof opts.registry === "string" ? opts.registry : defaultPaths(await ctx.root()).registry);
    if (location.kind === "oci") {
      throw new UsageError("yank works on a directory or HTTP registry, not OCI", "OCI artifacts carry no yank state: yank in the directory registry clients resolve through.");
    }
    const { record, changed } =
      location.kind === "dir"
        ? await yankVersion(location.dir, target.slug, target.version, reason)
        : await yankOverHttp(location.baseUrl, { ...target, reason }, process.env[REGISTRY_TOKEN_ENV] || undefined);
    if (ctx.json) printJson(ctx, { ok: true, changed, slug: record.slug, version: record.version, yanked: record.yanked });
    else ctx.out(changed ? `${colors.yellow("yanked")} ${args[0]}: ${reason}\n` : `${args[0]} was already yanked on ${record.yanked?.at}: ${record.yanked?.reason}\n`);
    return 0;
  },
});
