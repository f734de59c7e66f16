/**
 * Unpacks a bundle without trusting it. The whole archive is read and checked in memory first
 * (decompression capped while it streams), and only an archive that passes every check is
 * written - into a temp folder inside the cache that is renamed into place - so a hostile
 * archive writes nothing, and nothing ever lands outside the cache.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { checkEntryPath, collisionKey, displayName } from "./entry-name.js";
import { RegistryError } from "./registry-error.js";

export type UnpackLimits = {
  /** Files and folders together. */
  maxEntries: number;
  maxEntryBytes: number;
  /** Uncompressed size of the whole tar stream: the cap that defeats decompression bombs. */
  maxTotalBytes: number;
};

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxEntries: 2_000, maxEntryBytes: 8 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

export type ArchiveFile = { path: string; bytes: Buffer };

const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile"]);
const LINK_TYPES = new Set(["Link", "SymbolicLink"]);
const NESTED_COMPRESSION = [Buffer.from([0x1f, 0x8b]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd])];

function gunzipCapped(tgz: Uint8Array, limits: UnpackLimits): Buffer {
  try {
    return gunzipSync(tgz, { maxOutputLength: limits.maxTotalBytes });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || cause instanceof RangeError) {
      throw new RegistryError("ARCHIVE_TOO_LARGE", `bundle expands beyond ${limits.maxTotalBytes} bytes`, { hint: "A decompression bomb or an oversized bundle: refused.", cause });
    }
    throw new RegistryError("ARCHIVE_CORRUPT", `bundle is not valid gzip: ${(cause as Error).message}`, { cause });
  }
}

/** Parses and checks every entry; returns the files (folders are implied by their paths). */
export async function readArchive(tgz: Uint8Array, limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): Promise<ArchiveFile[]> {
  const tarBytes = gunzipCapped(tgz, limits);
  if (NESTED_COMPRESSION.some((magic) => tarBytes.subarray(0, magic.length).equals(magic))) {
    throw new RegistryError("ARCHIVE_CORRUPT", "bundle is compressed twice", { hint: "A nested archive would escape the decompression cap: refused." });
  }
  const files: ArchiveFile[] = [];
  const seen = new Map<string, "file" | "dir">();
  const folded = new Map<string, string>();
  let entries = 0;

  const claim = (p: string, kind: "file" | "dir") => {
    const prior = seen.get(p);
    if (prior && !(prior === "dir" && kind === "dir")) throw new RegistryError("ARCHIVE_DUPLICATE", `entry ${p} appears twice`, { file: p });
    const key = collisionKey(p);
    const other = folded.get(key);
    if (other !== undefined && other !== p) throw new RegistryError("ARCHIVE_CASE_COLLISION", `entries ${other} and ${p} differ only in case or Unicode form`, { file: p, hint: "They would overwrite each other on case-insensitive file systems." });
    seen.set(p, kind);
    folded.set(key, p);
  };

  const check = (entry: ReadEntry): "file" | "dir" => {
    if (++entries > limits.maxEntries) throw new RegistryError("ARCHIVE_TOO_MANY_ENTRIES", `bundle has more than ${limits.maxEntries} entries`);
    const type = entry.type as string;
    const shown = displayName(entry.path);
    if (LINK_TYPES.has(type)) throw new RegistryError("ARCHIVE_LINK", `entry ${shown} is a ${type === "Link" ? "hard link" : "symbolic link"}`, { file: shown, hint: "Bundles carry regular files only." });
    const kind = FILE_TYPES.has(type) ? "file" : type === "Directory" ? "dir" : null;
    if (!kind) throw new RegistryError("ARCHIVE_SPECIAL_FILE", `entry ${shown} is a ${type}`, { file: shown, hint: "Bundles carry regular files only." });
    const p = checkEntryPath(entry.path);
    if (kind === "file" && (entry.size ?? 0) > limits.maxEntryBytes) {
      throw new RegistryError("ARCHIVE_ENTRY_TOO_LARGE", `entry ${p} is ${entry.size} bytes, above the ${limits.maxEntryBytes} limit`, { file: p });
    }
    // A file must not sit where another entry needs a folder, and the reverse.
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) claim(parts.slice(0, i).join("/"), "dir");
    claim(p, kind);
    return kind;
  };

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error instanceof RegistryError ? error : new RegistryError("ARCHIVE_CORRUPT", `bundle is not a valid tar archive: ${(error as Error).message}`, { cause: error }));
    };
    const parser = new Parser({ strict: true });
    parser.on("entry", (entry: ReadEntry) => {
      if (failed) return entry.resume();
      let kind: "file" | "dir";
      try {
        kind = check(entry);
      } catch (error) {
        fail(error);
        parser.abort(error as Error);
        return entry.resume();
      }
      if (kind === "dir") return entry.resume();
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => files.push({ path: checkEntryPath(entry.path), bytes: Buffer.concat(chunks) }));
    });
    parser.on("ignoredEntry", (entry: ReadEntry) => {
      fail(new RegistryError("ARCHIVE_SPECIAL_FILE", `entry ${displayName(entry.path)} has unsupported type ${entry.header.typeKey}`, { file: displayName(entry.path) }));
    });
    parser.on("warn", (_code: string, message: string | Error) => fail(new Error(String(message))));
    parser.on("error", fail);
    parser.on("end", () => (failed ? undefined : resolve()));
    parser.end(tarBytes);
  });
  return files;
}

/** Writes checked files to `dest` (absent) via a temp folder in `workDir` (same file system); cleans up on failure. */
export async function writeArchive(files: readonly ArchiveFile[], dest: string, workDir: string): Promise<void> {
  const tmp = path.join(workDir, `unpack-${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    await mkdir(tmp, { recursive: true });
    for (const f of files) {
      const target = path.join(tmp, ...f.path.split("/"));
      // The name limits leave room for a cache folder of ordinary depth; one nested deeper still gets a typed error.
      const tooLong = (error: NodeJS.ErrnoException) => {
        if (error.code !== "ENAMETOOLONG") throw error;
        throw new RegistryError("ARCHIVE_PATH_TOO_LONG", `entry ${f.path} is too long to write below ${workDir}`, { file: f.path, hint: "Use a cache folder with a shorter path.", cause: error });
      };
      await mkdir(path.dirname(target), { recursive: true }).catch(tooLong);
      await writeFile(target, f.bytes, { flag: "wx", mode: 0o644 }).catch(tooLong);
    }
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(tmp, dest).catch(async (error: NodeJS.ErrnoException) => {
      // Another process unpacked the same content first: its copy is identical.
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      await rm(tmp, { recursive: true, force: true });
    });
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

export async function safeUnpack(tgz: Uint8Array, dest: string, workDir: string, limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): Promise<ArchiveFile[]> {
  const files = await readArchive(tgz, limits);
  await writeArchive(files, dest, workDir);
  return files;
}
