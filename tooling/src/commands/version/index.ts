import { defineStage } from "../../cli/stage-command.js";
import { UsageError } from "../../errors.js";
import { baseOption, resolveBase } from "../../git/default-base.js";
import { registryArgument } from "../../publish/registry-argument.js";
import { defaultPaths } from "../../repo/defaults.js";
import { checkVersions, type VersionBase, type VersionReport } from "../../version/check-versions.js";
import { renderHuman } from "./human-report.js";

export default defineStage("version", {
  configure: (cmd) =>
    cmd
      .addOption(baseOption())
      .option("--since-release", "compare every integration with its highest <slug>@<version> tag instead (what the pipeline does on main)")
      .option("--registry <dir|url>", "registry whose versions are the floor and are immutable (default: .ihub/registry; absent = no floor)"),
  async run(ctx, _args, opts): Promise<VersionReport> {
    const root = await ctx.root();
    if (opts.sinceRelease && typeof opts.base === "string") throw new UsageError("--base and --since-release exclude each other", "Use --base on a branch (pull requests), --since-release on main.");
    const against: VersionBase = opts.sinceRelease ? { kind: "release" } : { kind: "merge-base", ref: await resolveBase(root, opts.base) };
    const registry = registryArgument(typeof opts.registry === "string" ? opts.registry : defaultPaths(root).registry);
    return checkVersions(root, { against, registry });
  },
  document: (report) => ({
    ok: report.ok,
    against: report.against,
    mergeBase: report.mergeBase,
    integrations: report.plans.map((p) => ({ ...p, comparedWith: report.comparedWith[p.slug] ?? null })),
  }),
  reporters: { human: renderHuman },
});
