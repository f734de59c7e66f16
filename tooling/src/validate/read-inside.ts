/**
 * Reads a file an integration references, refusing anything that is not a regular file inside
 * the integration folder once symlinks are resolved, and anything over a size cap (checked
 * before reading, so a hostile 50 MB file costs one stat).
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, realpathSync, type Dirent } from "node:fs";
import { lstat, open, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { FindingCode } from "./codes.js";

export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; code: FindingCode; message: string };

/** Large enough for any real handler, test case or icon; small enough to never stall a run. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Vendors' complete OpenAPI documents run to 10 MB and more (GitHub's REST description, Stripe's spec3). */
export const MAX_OPENAPI_BYTES = 32 * 1024 * 1024;

export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Resolved folders of one integration, so files in the same folder share one realpath call. */
export type RealDirs = Map<string, string | null>;

/**
 * The common case in a few syscalls: the file's folder resolves inside the integration folder
 * and the file itself is no symlink (O_NOFOLLOW), so it is read through the descriptor it was
 * checked with. Null sends everything else (symlinks, missing files) to the careful path, which
 * also words the finding.
 *
 * Synchronous on purpose: a run reads thousands of small files that are nearly always in the page
 * cache, where each promise-based call's round trip through the thread pool cost more than the
 * system call it waits for (a third of a full run's CPU time), and the thread has CPU work to do
 * anyway.
 */
function readDirect(abs: string, realDir: string, realDirs: RealDirs, relPath: string, maxBytes: number, tooLarge: FindingCode): ReadOutcome | null {
  // Without O_NOFOLLOW (Windows) a symlinked file would be followed unchecked.
  if (constants.O_NOFOLLOW === undefined) return null;
  const parent = path.dirname(abs);
  let resolved = realDirs.get(parent);
  if (resolved === undefined) {
    resolved = tryOrNull(() => realpathSync.native(parent));
    realDirs.set(parent, resolved);
  }
  if (resolved === null || !isInside(realDir, resolved)) return null;
  const fd = tryOrNull(() => openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW));
  if (fd === null) return null;
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, code: "IH004", message: `${relPath} is not a regular file` };
    if (info.size > maxBytes) return { ok: false, code: tooLarge, message: `${relPath} is ${info.size} bytes, over the ${maxBytes}-byte limit` };
    return { ok: true, bytes: readFileSync(fd) };
  } catch (error) {
    return { ok: false, code: "IH004", message: `${relPath} cannot be read (${errnoOf(error)})` };
  } finally {
    closeSync(fd);
  }
}

/** The entries of a folder of the integration (synchronous for the reason readDirect gives); none when it cannot be listed. */
export function listFolder(dir: string, recursive = false): Dirent[] {
  return tryOrNull(() => readdirSync(dir, { withFileTypes: true, recursive })) ?? [];
}

function tryOrNull<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** `realDir` is the integration folder with symlinks resolved (see `realpath`). */
export async function readInside(
  dir: string,
  realDir: string,
  relPath: string,
  maxBytes = MAX_FILE_BYTES,
  tooLarge: FindingCode = "IH004",
  realDirs: RealDirs = new Map(),
): Promise<ReadOutcome> {
  const abs = path.resolve(dir, relPath);
  if (path.isAbsolute(relPath) || !isInside(dir, abs)) {
    return { ok: false, code: "IH021", message: `${relPath} points outside the integration folder` };
  }
  const direct = readDirect(abs, realDir, realDirs, relPath, maxBytes, tooLarge);
  if (direct) return direct;
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

/** A file's text: UTF-8, without the byte order mark some Windows editors put first (JSON and YAML parsers refuse it). */
export function textOf(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
