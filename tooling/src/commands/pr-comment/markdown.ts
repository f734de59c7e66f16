/**
 * Markdown pieces for text that comes from the pull request itself (finding messages, case
 * names, file names): it must render as text, so a contributor cannot inject HTML, a hidden
 * marker, a table break or a mention into the comment the bot signs.
 */

const escapeInline = (s: string) =>
  s
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/@/g, "@\u200b");

/**
 * One line of text: HTML and inline Markdown escaped, mentions defused, newlines folded.
 * `{ code: true }` keeps `code spans` as they are, for ihub's own hints, which quote fields and
 * commands (a code span shows `<`, `*` and `@` literally, so it needs no escaping).
 */
export function text(s: string, max = 300, opts: { code?: boolean } = {}): string {
  const line = clip(s.replace(/\s*\r?\n\s*/g, " "), max);
  if (!opts.code) return escapeInline(line);
  return line
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 ? part : escapeInline(part)))
    .join("");
}

/** Inline code that survives backticks inside (CommonMark: a longer fence, padded with spaces). */
export function code(s: string, max = 200): string {
  const body = clip(s.replace(/\r?\n/g, " "), max);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest ? `${fence} ${body} ${fence}` : `${fence}${body}${fence}`;
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The first `limit` items, then one line saying how many were left out. */
export function limitedList(items: readonly string[], limit: number, noun: string): string[] {
  if (items.length <= limit) return [...items];
  return [...items.slice(0, limit), `- … and ${items.length - limit} more ${noun} (see the job log)`];
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
