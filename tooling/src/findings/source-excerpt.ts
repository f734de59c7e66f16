/**
 * The source line a finding points at, with a caret under its column, as compilers print it:
 *
 *     7 |     "version": "1.0.0",,
 *       |                        ^
 *
 * Tabs before the column are kept so the caret lines up in a terminal; a long line is cut to a
 * window around the column.
 */
import type { Position } from "@ihub/runtime/json";

const WIDTH = 100;

export function sourceExcerpt(text: string, { line, column }: Position): string {
  let source = text.split("\n")[line - 1]?.replace(/\r$/, "") ?? "";
  let col = Math.max(1, Math.min(column, source.length + 1));
  if (source.length > WIDTH) {
    const start = Math.max(0, Math.min(col - 1 - WIDTH / 2, source.length - WIDTH));
    const cut = source.slice(start, start + WIDTH);
    const head = start > 0 ? "…" : "";
    col = col - start + head.length;
    source = head + cut + (start + WIDTH < source.length ? "…" : "");
  }
  const gutter = String(line);
  const pad = source.slice(0, col - 1).replace(/[^\t]/g, " ");
  return `${gutter} | ${source}\n${" ".repeat(gutter.length)} | ${pad}^`;
}
