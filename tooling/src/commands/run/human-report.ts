/** The terminal rendering of `ihub run`: the output (or the typed error), then what the call logged, emitted and requested. */
import { errorCode, type ExecutionResult } from "@ihub/runtime";
import { describeRequest } from "../../harness/compare-expectations.js";
import type { UnmatchedRequest } from "../../harness/fixture-pool.js";
import { renderClosest } from "../../harness/render-result.js";
import { colors } from "../../report/colors.js";

const LEVEL: Record<string, (s: string) => string> = { debug: colors.dim, info: colors.cyan, warn: colors.yellow, error: colors.red };

export function renderHuman(result: ExecutionResult, mode: string, unmatched: readonly UnmatchedRequest[]): string {
  const lines: string[] = [];
  const took = `${Math.round(result.durationMs)} ms, ${result.requests.length} device call${result.requests.length === 1 ? "" : "s"}, ${mode}`;
  if (result.ok) {
    lines.push(colors.green(`✔ ${result.handler}`) + colors.dim(` (${took})`));
    lines.push(result.output === undefined || result.output === null ? colors.dim("(no output)") : JSON.stringify(result.output, null, 2));
  } else {
    const e = result.error;
    lines.push(colors.red(`✖ ${result.handler} failed with ${errorCode(e)}`) + colors.dim(` (${took})`));
    lines.push(`  ${e.message}`);
    if (e.kind === "internal" && e.traceback) lines.push(...e.traceback.split("\n").map((l) => colors.dim(`  ${l}`)));
    if (e.kind === "validation") lines.push(...e.issues.map((i) => `  ${colors.dim(i.pointer || "/")} ${i.message}`));
  }
  if (result.logs.length > 0) {
    lines.push("", colors.bold("logs"));
    for (const l of result.logs) lines.push(`  ${(LEVEL[l.level] ?? colors.dim)(l.level.padEnd(5))} ${l.message}${l.fields === undefined ? "" : colors.dim(" " + JSON.stringify(l.fields))}`);
  }
  if (result.events.length > 0) {
    lines.push("", colors.bold("events"));
    for (const e of result.events) lines.push(`  ${e.topic} ${colors.dim(JSON.stringify(e.payload))}`);
  }
  if (result.charges.length > 0) {
    lines.push("", colors.bold("charges"));
    for (const c of result.charges) lines.push(`  $${c.usd}${c.note === null ? "" : colors.dim(` ${c.note}`)}`);
  }
  if (result.requests.length > 0) {
    lines.push("", colors.bold("device calls"));
    for (const r of result.requests) lines.push(`  ${describeRequest(r)}`);
  }
  for (const u of unmatched) {
    lines.push("", colors.yellow(`no recorded fixture matched ${u.summary}`));
    if (u.closest) lines.push(...renderClosest(u.closest, colors));
  }
  return lines.join("\n") + "\n";
}
