/**
 * The contract of an integration, compared between two snapshots: the manifest's contract (the
 * one diff the runtime also reads, `@ihub/runtime/contract`, whose header lists what is major and
 * what is minor), plus what only the repository knows: an OpenAPI operation the handlers used
 * removed from the alias's document is major. Each difference becomes a reason with a bump level
 * and a JSON pointer into the manifest (or the OpenAPI document). Pure.
 * Everything else that changes the bundle is a patch (see fileChanges).
 */
import { manifestChanges } from "@ihub/runtime/contract";
import { joinPointer } from "@ihub/runtime/json";
import type { ChangeLevel } from "./bump-level.js";
import type { Snapshot } from "./snapshot.js";

export type Reason = {
  level: ChangeLevel;
  message: string;
  /** Repository path the reason is about. */
  file: string;
  /** RFC 6901 pointer into `file`, when the reason is about one place in it. */
  pointer: string | null;
};

function operationReasons(base: Snapshot, head: Snapshot): Reason[] {
  const out: Reason[] = [];
  for (const [alias, ops] of Object.entries(base.operations)) {
    const now = head.operations[alias];
    // Without a document on the head side there is nothing to compare against.
    if (!now) continue;
    const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;
    const documented = new Set(ops.documented.map(key));
    const still = new Set(now.documented.map(key));
    for (const op of ops.used) {
      if (!documented.has(key(op)) || still.has(key(op))) continue;
      out.push({
        level: "major",
        message: `operation ${op.method} ${op.path} of resource "${alias}", used by the handlers, removed from the OpenAPI document`,
        file: now.file,
        pointer: joinPointer("", "paths", op.path, op.method.toLowerCase()),
      });
    }
  }
  return out;
}

/** Major and minor reasons: what changed in the integration's contract. */
export function contractChanges(base: Snapshot, head: Snapshot): Reason[] {
  const file = head.manifestFile;
  const manifest = manifestChanges(base.manifest, head.manifest).map(({ level, message, pointer }) => ({ level, message, file, pointer }));
  return [...manifest, ...operationReasons(base, head)];
}

/** Patch reasons: every bundle file added, removed or changed. */
export function fileChanges(base: Snapshot, head: Snapshot): Reason[] {
  const out: Reason[] = [];
  const paths = [...new Set([...Object.keys(base.files), ...Object.keys(head.files)])].sort();
  for (const p of paths) {
    const b = base.files[p];
    const h = head.files[p];
    if (b === h) continue;
    const what = b === undefined ? "added" : h === undefined ? "removed" : "changed";
    out.push({ level: "patch", message: `bundle file ${p} ${what}`, file: head.repoPaths[p] ?? base.repoPaths[p] ?? p, pointer: null });
  }
  return out;
}
