/** A luaparse syntax tree node, read loosely: luaparse ships no types of its own. */
import type { Position } from "../validate/source-position.js";

export type LuaNode = { type: string; loc?: { start: { line: number; column: number } }; [key: string]: unknown };

/** 1-based line and column of a node (luaparse counts columns from 0). */
export const positionOf = (n: LuaNode | undefined): Position => ({ line: n?.loc?.start.line ?? 1, column: (n?.loc?.start.column ?? 0) + 1 });

/** luaparse without an encoding mode leaves StringLiteral.value null; read simple literals from `raw`. */
export function stringValue(n: LuaNode | undefined): string | null {
  if (!n || n.type !== "StringLiteral") return null;
  const raw = String(n.raw);
  const long = /^\[(=*)\[\n?([\s\S]*)\]\1\]$/.exec(raw);
  if (long) return long[2]!;
  const quoted = /^(["'])([\s\S]*)\1$/.exec(raw);
  if (!quoted) return null;
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'" };
  let ok = true;
  const value = quoted[2]!.replace(/\\(.)/g, (_, c: string) => {
    if (c in escapes) return escapes[c]!;
    ok = false;
    return "";
  });
  return ok ? value : null;
}
