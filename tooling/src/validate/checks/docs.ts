/** README.md exists; CHANGELOG.md exists and has a heading for the manifest's version. */
import { BUNDLE_DOCS } from "@ihub/runtime/layout";
import type { CheckContext } from "../integration-context.js";
import { textOf } from "../read-inside.js";

const [README, CHANGELOG] = BUNDLE_DOCS;

/** A Markdown heading naming the version: `## 1.2.0`, `## [1.2.0] - 2024-01-01`, `# v1.2.0 (date)`. */
export function hasChangelogEntry(changelog: string, version: string): boolean {
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^#{1,6}\\s+\\[?v?${escaped}\\]?(?=$|[\\s(—–-])`, "m").test(changelog);
}

export async function checkDocs(ctx: CheckContext): Promise<void> {
  const readme = await ctx.read(README);
  if (!readme.ok) ctx.report(readme.code === "IH020" ? "IH070" : readme.code, readme.code === "IH020" ? `${README} is missing` : readme.message, { file: README });
  const changelog = await ctx.read(CHANGELOG);
  if (!changelog.ok) {
    ctx.report(changelog.code === "IH020" ? "IH071" : changelog.code, changelog.code === "IH020" ? `${CHANGELOG} is missing` : changelog.message, { file: CHANGELOG });
  } else {
    const text = textOf(changelog.bytes);
    const { version } = ctx.manifest;
    if (!hasChangelogEntry(text, version)) {
      // Points at the newest entry's heading, where the missing one goes above.
      const newest = text.split("\n").findIndex((l) => /^#{2,6}\s/.test(l));
      ctx.report("IH072", `${CHANGELOG} has no heading for version ${version}`, {
        file: CHANGELOG,
        position: newest === -1 ? null : { line: newest + 1, column: 1 },
        hint: `Add a heading \`## ${version}\` to ${CHANGELOG}${newest === -1 ? "" : " above the newest entry"}, with what changed in it.`,
      });
    }
  }
}
