/**
 * Reads a file an integration references, refusing anything that is not a regular file inside
 * the integration folder once symlinks are resolved, and anything over a size cap (checked
 * before reading, so a hostile 50 MB file costs one stat).
 */
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { FindingCode } from "./codes.js";

export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; code: FindingCode; message: string };

/** Large enough for any real handler, OpenAPI subset or icon; small enough to never stall a run. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** `realDir` is the integration folder with symlinks resolved (see `realpath`). */
export async function readInside(dir: string, realDir: string, relPath: string, maxBytes = MAX_FILE_BYTES, tooLarge: FindingCode = "IH004"): Promise<ReadOutcome> {
  const abs = path.resolve(dir, relPath);
  if (path.isAbsolute(relPath) || !isInside(dir, abs)) {
    return { ok: false, code: "IH021", message: `${relPath} points outside the integration folder` };
  }
  let real: string;
  try {
    real = await realpath(abs);
  } catch (error) {
    const linked = await lstat(abs).catch(() => null);
    const what = linked?.isSymbolicLink() ? "is a symlink to a missing file" : "does not exist";
    return errnoOf(error) === "ENOENT" || errnoOf(error) === "ENOTDIR"
      ? { ok: false, code: "IH020", message: `${relPath} ${what}` }
      : { ok: false, code: "IH004", message: `${relPath} cannot be resolved (${errnoOf(error)})` };
  }
  if (!isInside(realDir, real)) {
    return { ok: false, code: "IH021", message: `${relPath} resolves through a symlink to a path outside the integration folder` };
  }
  try {
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, code: "IH004", message: `${relPath} is not a regular file` };
    if (info.size > maxBytes) return { ok: false, code: tooLarge, message: `${relPath} is ${info.size} bytes, over the ${maxBytes}-byte limit` };
    return { ok: true, bytes: await readFile(real) };
  } catch (error) {
    return { ok: false, code: "IH004", message: `${relPath} cannot be read (${errnoOf(error)})` };
  }
}

export function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
