/**
 * Every Lua file of an integration (the handler files plus everything under handlers/): text,
 * syntax (fengari), the handler functions the returned table defines, and the ctx calls
 * (see ctx-calls-check.ts). Returns each file's analysis for the OpenAPI check.
 */
import path from "node:path";
import { HANDLERS_DIR } from "@ihub/runtime/layout";
import type { CheckContext } from "../integration-context.js";
import { listFolder } from "../read-inside.js";
import { toPointer } from "@ihub/runtime/json";
import { LineIndex } from "@ihub/runtime/json";
import { checkCtxCalls } from "./ctx-calls-check.js";
import { analyseHandlerFile, type HandlerAnalysis } from "../../analysis/lua-handler-analysis.js";
import { binaryReason, luaSyntaxError } from "./lua-syntax.js";
import { plainLuaSyntax } from "./plain-syntax-message.js";
import { sourceExcerpt } from "../../findings/source-excerpt.js";
import { checkHandlerCode } from "./handler-code-check.js";

function luaFilesUnderHandlers(dir: string): string[] {
  return listFolder(path.join(dir, HANDLERS_DIR), true)
    .filter((e) => e.isFile() && e.name.endsWith(".lua"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

/** What one Lua file is, as a pure function of its name and bytes (so equal files are judged once per run). */
type LuaVerdict =
  | { kind: "binary"; offset: number; reason: string }
  | { kind: "syntax"; line: number; column: number; message: string; excerpt: string }
  | { kind: "unanalysable"; line: number; column: number; message: string }
  | { kind: "ok"; analysis: HandlerAnalysis };

function judgeLuaFile(bytes: Buffer, file: string): LuaVerdict {
  const binary = binaryReason(bytes);
  if (binary) return { kind: "binary", ...binary };
  const syntax = luaSyntaxError(bytes, file);
  if (syntax) {
    const text = bytes.toString("utf8");
    const { message, column } = plainLuaSyntax(syntax.message, text, syntax.line);
    return { kind: "syntax", line: syntax.line, column, message, excerpt: sourceExcerpt(text, { line: syntax.line, column }) };
  }
  try {
    return { kind: "ok", analysis: analyseHandlerFile(bytes.toString("utf8")) };
  } catch (error) {
    // fengari accepted it, so this is a construct luaparse does not know; the runtime is the judge.
    const e = error as { line?: number; column?: number; message: string };
    return { kind: "unanalysable", line: e.line ?? 1, column: e.column ?? 1, message: e.message };
  }
}

export async function checkLua(ctx: CheckContext): Promise<Map<string, HandlerAnalysis>> {
  const handlerFiles = Object.values(ctx.manifest.handlers).map((h) => path.posix.normalize(h.file));
  const files = [...new Set([...handlerFiles, ...luaFilesUnderHandlers(ctx.dir)])].sort();
  const analyses = new Map<string, HandlerAnalysis>();
  for (const file of files) {
    // Missing, escaping or unreadable files are reported once, by the referenced-files check.
    const read = await ctx.read(file);
    if (!read.ok) continue;
    const bytes = read.bytes;
    // latin1 maps every byte to one character, so the key is the exact bytes, binary files included.
    const verdict = await ctx.once(`lua\0${file}\0${bytes.toString("latin1")}`, async () => judgeLuaFile(bytes, file));
    switch (verdict.kind) {
      case "binary": {
        const position = new LineIndex(bytes.subarray(0, verdict.offset).toString("latin1")).position(verdict.offset);
        ctx.report("IH031", `${file} ${verdict.reason} (byte ${verdict.offset})`, { file, position });
        break;
      }
      case "syntax":
        ctx.report("IH030", `${file}:${verdict.line}: ${verdict.message}`, { file, position: { line: verdict.line, column: verdict.column }, excerpt: verdict.excerpt });
        break;
      case "unanalysable":
        ctx.report("IH033", `${file} could not be analysed: ${verdict.message}`, { file, position: { line: verdict.line, column: verdict.column } });
        break;
      case "ok":
        analyses.set(file, verdict.analysis);
        checkCtxCalls(ctx, file, verdict.analysis.calls);
    }
  }

  for (const [name, handler] of Object.entries(ctx.manifest.handlers)) {
    const analysis = analyses.get(path.posix.normalize(handler.file));
    if (!analysis) continue;
    if (!analysis.exported) {
      ctx.report("IH033", `${handler.file} does not end by returning a table literal or a module table, so handler "${name}" cannot be checked`, {
        file: handler.file,
        position: analysis.returnPosition,
      });
    } else if (!analysis.exported.has(handler.function)) {
      const defined = [...analysis.exported.keys()];
      ctx.reportAt(
        "IH032",
        `handler "${name}": ${handler.file} returns a table without function "${handler.function}" (it defines ${defined.length ? defined.join(", ") : "nothing"})`,
        toPointer(["handlers", name, "function"]),
      );
    }
  }
  // Config is read across every file: with one of them unread, a config property may be read there.
  await checkHandlerCode(ctx, analyses, analyses.size === files.length);
  return analyses;
}
