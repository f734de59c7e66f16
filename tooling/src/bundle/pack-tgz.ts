/**
 * Deterministic .tgz: the same entries give the same bytes on any machine. Headers are encoded
 * with the `tar` package's Header/Pax classes directly (not from disk), so nothing of the build
 * machine leaks in: sorted entries, fixed mtime, uid/gid 0, no owner names, modes 0644/0755,
 * and gzip by zlib with a fixed level and a header without timestamp or file name.
 */
import { gzipSync } from "node:zlib";
import { Header, Pax, type HeaderData } from "tar";
import type { BundleEntry } from "./bundle-contents.js";

/** npm's choice too: a fixed, obviously artificial time that every unpacker accepts. */
export const BUNDLE_MTIME = new Date("1985-10-26T08:15:00.000Z");
export const GZIP_LEVEL = 9;
const BLOCK = 512;

function headerBlocks(data: HeaderData): Buffer {
  const block = Buffer.alloc(BLOCK);
  const header = new Header({ ...data, uid: 0, gid: 0, uname: "", gname: "", mtime: BUNDLE_MTIME });
  header.encode(block);
  // Paths that do not fit ustar's name/prefix split travel in a PAX record before the header.
  if (!header.needPax) return block;
  return Buffer.concat([new Pax({ path: data.path, mtime: BUNDLE_MTIME }).encode(), block]);
}

/** Parent folders of every entry, so unpackers create them with a fixed mode too. */
function directoriesOf(entries: readonly BundleEntry[]): string[] {
  const dirs = new Set<string>();
  for (const e of entries) {
    const parts = e.path.split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/") + "/");
  }
  return [...dirs];
}

export function packTar(entries: readonly BundleEntry[]): Buffer {
  const chunks: Buffer[] = [];
  const items = [
    ...directoriesOf(entries).map((dir) => ({ path: dir, bytes: null })),
    ...entries.map((e) => ({ path: e.path, bytes: e.bytes })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const item of items) {
    if (item.bytes === null) {
      chunks.push(headerBlocks({ path: item.path, type: "Directory", mode: 0o755, size: 0 }));
      continue;
    }
    chunks.push(headerBlocks({ path: item.path, type: "File", mode: 0o644, size: item.bytes.byteLength }));
    chunks.push(Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength));
    const pad = (BLOCK - (item.bytes.byteLength % BLOCK)) % BLOCK;
    if (pad) chunks.push(Buffer.alloc(pad));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

/** Node's zlib writes a gzip header with mtime 0 and no file name, so the output depends on the bytes only. */
export function packTgz(entries: readonly BundleEntry[]): Buffer {
  return gzipSync(packTar(entries), { level: GZIP_LEVEL });
}
