import { asDocument, defineStage } from "../../cli/stage-command.js";
import { selectSlugs } from "../../bundle/select-slugs.js";
import { colors } from "../../report/colors.js";
import { renderCoded, renderHint } from "../../report/render-error.js";
import { isTagOk, type TagAction, type TagActionType } from "./plan-tags.js";
import { tagReleases } from "./tag-releases.js";

const LABEL: Record<TagActionType, (s: string) => string> = { create: colors.green, exists: colors.dim, conflict: colors.red, uncommitted: colors.red };
const VERB: Record<TagActionType, string> = { create: "created", exists: "exists", conflict: "conflict", uncommitted: "uncommitted" };

function line(a: TagAction, dryRun: boolean): string {
  const verb = a.type === "create" && dryRun ? "would create" : VERB[a.type];
  const head = `${LABEL[a.type](verb.padEnd(12))} ${a.tag}`;
  switch (a.type) {
    case "create":
    case "exists":
      return `${head} ${colors.dim(`${a.commit.slice(0, 7)} content ${a.contentDigest.slice(0, 12)}…`)}\n`;
    case "conflict":
      return (
        `${head} pins content ${a.existingDigest.slice(0, 12)}… at ${a.commit.slice(0, 7)}, the tree now holds ${a.contentDigest.slice(0, 12)}…\n` +
        renderHint(`tags never move: bump the version of ${a.slug} (ihub version suggests one).`)
      );
    case "uncommitted":
      return (
        `${head} the working tree's bundle content differs from HEAD${a.headDigest ? "" : " (not in HEAD at all)"}\n` +
        renderHint(`commit the changes to integrations/${a.slug} first, so the tag names the content that is bundled.`)
      );
  }
}

export default defineStage("tag", {
  configure: (cmd) =>
    cmd.argument("[slugs...]", "integrations to tag (default: all)").option("--dry-run", "show what would be tagged, create nothing"),
  async run(ctx, args, opts) {
    const root = await ctx.root();
    const dryRun = Boolean(opts.dryRun);
    const report = await tagReleases(root, await selectSlugs(root, args), { dryRun });
    const ok = report.failures.length === 0 && report.actions.every(isTagOk);
    return { ok, dryRun, head: report.head, tags: report.actions, errors: report.failures.map((f) => ({ slug: f.slug, ...f.error.toJSON() })) };
  },
  document: asDocument,
  reporters: {
    human(doc) {
      let out = "";
      for (const a of doc.tags) out += line(a, doc.dryRun);
      for (const e of doc.errors) out += renderCoded(e);
      const created = doc.tags.filter((a) => a.type === "create").length;
      out += `${created} tag(s) ${doc.dryRun ? "to create" : "created"}, ${doc.tags.filter((a) => a.type === "exists").length} already in place${doc.ok ? "" : colors.red(", some integrations could not be tagged")}\n`;
      return out;
    },
  },
});
