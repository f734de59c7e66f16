/**
 * fengari's syntax errors in plain words, with the column of the token they name: `'end' expected
 * (to close 'function' at line 3) near <eof>` becomes "'function' opened at line 3 is not
 * closed: expected 'end' before the end of the file". Unknown messages pass through unchanged.
 * fengari names no column: luaparse's is taken when it fails on the same line, else (and for
 * an unfinished string) the first place the named token appears on the line.
 */
import luaparse from "luaparse";

type Rule = [RegExp, (m: RegExpExecArray, near: string) => string];

/** `before 'x'` for a token, `before the end of the file` for <eof>. */
const before = (near: string) => (near === "<eof>" ? "before the end of the file" : `before ${near}`);

const RULES: Rule[] = [
  [/^'(.+)' expected \(to close '(.+)' at line (\d+)\)$/, (m, near) => `'${m[2]}' opened at line ${m[3]} is not closed: expected '${m[1]}' ${before(near)}`],
  [/^'(.+)' expected$/, (m, near) => `expected '${m[1]}' ${before(near)}`],
  [/^<name> expected$/, (_m, near) => `expected a name (a letter or _ followed by letters, digits or _) ${before(near)}`],
  [/^unexpected symbol$/, (_m, near) => (near === "<eof>" ? "the file ends in the middle of a statement" : `${near} is out of place here`)],
  [/^unfinished string$/, () => "a string is not closed before the end of its line"],
  [/^unfinished long (string|comment) \(starting at line (\d+)\)$/, (m) => `the long ${m[1]} opened at line ${m[2]} is not closed with ']]'`],
  [/^malformed number$/, (_m, near) => `${near} is not a valid number`],
  [/^syntax error$/, (_m, near) => (near === "<eof>" ? "the file ends where more code was expected" : `the code is not valid ${before(near)}`)],
];

export type PlainSyntax = { message: string; column: number };

function luaparseColumn(source: string, line: number): number | undefined {
  try {
    luaparse.parse(source, { luaVersion: "5.3" });
  } catch (error) {
    const e = error as { line?: unknown; column?: unknown };
    if (e.line === line && typeof e.column === "number") return e.column + 1;
  }
  return undefined;
}

export function plainLuaSyntax(raw: string, source: string, line: number): PlainSyntax {
  const m = /^(.*?) near (<eof>|'.*')$/s.exec(raw);
  const lineText = source.split("\n")[line - 1]?.replace(/\r$/, "") ?? "";
  if (!m) {
    const label = /^no visible label '(.+)' for <goto>/.exec(raw);
    return { message: label ? `goto ${label[1]} has no label ::${label[1]}:: it can jump to` : raw, column: luaparseColumn(source, line) ?? 1 };
  }
  const [, what, near] = m as unknown as [string, string, string];
  const token = near === "<eof>" ? null : near.slice(1, -1);
  const found = token === null ? -1 : lineText.indexOf(token);
  const tokenColumn = token === null ? lineText.length + 1 : found === -1 ? 1 : found + 1;
  // An unfinished string is best shown where it opens, which is where fengari's token starts.
  const column = /^unfinished/.test(what) ? tokenColumn : Math.min(luaparseColumn(source, line) ?? tokenColumn, lineText.length + 1);
  for (const [pattern, words] of RULES) {
    const hit = pattern.exec(what);
    if (hit) return { message: words(hit, near), column };
  }
  return { message: raw, column };
}
