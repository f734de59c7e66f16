/**
 * Text left as a placeholder: what a scaffold or a template says to replace. One list, documented
 * in docs/validate.md ("Placeholders"); each pattern says what it catches.
 */

type Pattern = { pattern: RegExp; what: string };

/** Markers a person leaves to come back to: upper case, as whole words (a "todo list" is not one). */
const MARKERS: Pattern = { pattern: /\b(?:TODO|TBD|FIXME|XXX|CHANGEME)\b/, what: "a marker left to fill in" };

/** Template phrases that stand for the author's own details. */
const PHRASES: Pattern = {
  pattern: /\byour[ _-]?(?:name|org(?:ani[sz]ation)?|company|email|publisher)\b|\blorem ipsum\b|<(?:your|insert|replace)[^>]*>|\{\{[^}]*\}\}/i,
  what: "a template phrase",
};

/** The domains reserved for examples (RFC 2606): a real publisher is not one, though docs may use them as examples. */
const EXAMPLE_DOMAINS: Pattern = { pattern: /\bexample\.(?:com|org|net)\b/i, what: "a domain reserved for examples" };

export type PlaceholderMatch = { text: string; index: number; what: string };

/** Every placeholder in `text`, in order; `domains` also counts example domains (for fields that name a real party). */
export function placeholdersIn(text: string, opts: { domains?: boolean } = {}): PlaceholderMatch[] {
  const found: PlaceholderMatch[] = [];
  for (const { pattern, what } of opts.domains ? [MARKERS, PHRASES, EXAMPLE_DOMAINS] : [MARKERS, PHRASES]) {
    for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags + "g"))) found.push({ text: m[0], index: m.index, what });
  }
  return found.sort((a, b) => a.index - b.index);
}
