import { defineCommand, printJson } from "../../cli/command.js";
import { listReleaseTags } from "../../git/release-tags.js";
import { repositoryTarget } from "../../github/pull-request-context.js";
import type { ReleaseOutcome } from "../../release/sync-releases.js";
import { registryArgument } from "../../publish/registry-argument.js";
import { UsageError } from "../../errors.js";
import { defaultPaths } from "../../repo/defaults.js";
import { colors } from "../../report/colors.js";
import { progress } from "../../report/progress.js";
import { renderCoded } from "../../report/render-error.js";

function line(o: ReleaseOutcome): string {
  if (o.status === "failed") return `${colors.red("failed".padEnd(9))} ${o.tag}\n`;
  const uploaded = o.status === "unchanged" || !o.uploaded.length ? "" : colors.dim(` (+ ${o.uploaded.join(", ")})`);
  return `${(o.status === "unchanged" ? colors.dim : colors.green)(o.status.padEnd(9))} ${o.tag} ${colors.dim(o.url)}${uploaded}\n`;
}

/**
 * A GitHub Release for every `<slug>@<version>` tag, from the directory registry the pipeline
 * published to. Runs after the tags are pushed (GitHub releases an existing tag); a failed tag
 * exits 1 and is picked up again by the next run.
 */
export default defineCommand("release", {
  configure: (cmd) => cmd.option("--registry <dir>", "the directory registry the tags were published to (default: .ihub/registry)"),
  async run(ctx, _args, opts) {
    const root = await ctx.root();
    const location = registryArgument(typeof opts.registry === "string" ? opts.registry : defaultPaths(root).registry);
    if (location.kind !== "dir") throw new UsageError("--registry must be a directory", "Releases carry the bundle files: point --registry at the directory the pipeline published to.");
    const target = repositoryTarget(process.env);
    const tags = (await listReleaseTags(root)).sort((a, b) => a.tag.localeCompare(b.tag));
    // octokit is loaded only when there is GitHub work to do.
    const [{ githubClient }, { githubReleases }, { syncReleases }] = await Promise.all([
      import("../../github/github-client.js"),
      import("../../github/github-releases.js"),
      import("../../release/sync-releases.js"),
    ]);
    const bar = progress("releasing on GitHub", tags.length);
    const outcomes = await syncReleases(githubReleases(githubClient(target), target), location.dir, tags, (tag) => bar.tick(tag));
    bar.done();
    const ok = outcomes.every((o) => o.status !== "failed");
    if (ctx.json) printJson(ctx, { ok, repository: `${target.owner}/${target.repo}`, releases: outcomes });
    else {
      for (const o of outcomes) {
        ctx.out(line(o));
        if (o.status === "failed") ctx.out(renderCoded(o.error));
      }
      const count = (s: ReleaseOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
      ctx.out(`${count("created")} created, ${count("completed")} completed, ${count("unchanged")} unchanged, ${count("failed")} failed${ok ? "" : " (retried on the next run)"}\n`);
    }
    return ok ? 0 : 1;
  },
});
