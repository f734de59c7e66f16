import { RegistryError } from "../../../../runtime/src/registry/registry-error.js";
import { parseRegistryLocation } from "../../../../runtime/src/registry/registry-location.js";
import { defineCommand, printJson } from "../../cli/command.js";
import { UsageError } from "../../errors.js";
import { defaultBaseRef } from "../../git/default-base.js";
import { defaultPaths } from "../../repo/defaults.js";
import { checkVersions } from "../../version/check-versions.js";
import { renderHuman } from "./human-report.js";

export default defineCommand({
  name: "version",
  summary: "check that every changed integration bumps its version enough (semver gate against the base ref and the registry)",
  configure: (cmd) =>
    cmd
      .option("--base <ref>", "branch, tag or commit to compare with, via its merge base with HEAD (default: origin/main, main, origin/master or master)")
      .option("--registry <dir|url>", "registry whose versions are the floor and are immutable (default: .ihub/registry; absent = no floor)"),
  async run(ctx, _args, opts) {
    const root = await ctx.root();
    const base = typeof opts.base === "string" ? opts.base : await defaultBaseRef(root);
    let registry;
    try {
      registry = parseRegistryLocation(typeof opts.registry === "string" ? opts.registry : defaultPaths(root).registry);
    } catch (error) {
      if (error instanceof RegistryError) throw new UsageError(error.message, error.hint);
      throw error;
    }
    const report = await checkVersions(root, { base, registry });
    if (ctx.json) printJson(ctx, { ok: report.ok, base: report.base, mergeBase: report.mergeBase, integrations: report.plans });
    else ctx.out(renderHuman(report));
    return report.ok ? 0 : 1;
  },
});
