/**
 * Reads CHANGELOG.md: one `## <version>` heading per version (Keep a Changelog style, with or
 * without brackets, a leading `v` and a date), the Markdown below it up to the next heading of
 * the same or a higher level being that version's entry.
 */
export type ChangelogEntry = { version: string; date?: string; body: string };

const HEADING = /^##\s+\[?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\]?(?:.*?(\d{4}-\d{2}-\d{2}))?.*$/;
const SECTION_END = /^#{1,2}\s/;

export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { entry: ChangelogEntry; lines: string[] } | null = null;
  const close = () => {
    if (current) current.entry.body = current.lines.join("\n").trim();
  };
  let fence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : HEADING.exec(line);
    if (m) {
      close();
      const entry: ChangelogEntry = { version: m[1]!, body: "" };
      if (m[2]) entry.date = m[2];
      entries.push(entry);
      current = { entry, lines: [] };
    } else if (!fence && SECTION_END.test(line)) {
      close();
      current = null;
    } else {
      current?.lines.push(line);
    }
  }
  close();
  return entries;
}
