/**
 * Which paths under some top-level folders differ between HEAD, the index and the working tree:
 * what `git status` answers, the way git answers it, rather than isomorphic-git's statusMatrix,
 * which walks three trees in JavaScript and took seconds on a repository of a thousand
 * integrations. Only the index entries under the folders asked about are read past their name.
 *
 * - HEAD vs index: tree ids are computed from the index entries exactly as git writes trees, and
 *   compared with HEAD's; only differing trees are descended into. The index is sorted as git
 *   sorts tree entries, so each folder is one run of entries and no tree has to be built.
 * - index vs working tree: each tracked file's lstat against the stat data its index entry
 *   recorded (mode, size, mtime, ctime, inode). Only a file whose stat differs, or whose recorded
 *   mtime is not older than the index file itself (git's "racy" case: it may have changed in the
 *   same tick after being staged), is hashed and compared by blob id.
 * - untracked files that are not ignored: the folders are listed once, each against the index's
 *   entries for it.
 *
 * Returns null when the index is in a format this reader does not know (version 4, split index),
 * so the caller can fall back to statusMatrix.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import git from "./isomorphic-git.js";

/**
 * An index entry's path, where its blob id lies in the index file (-1 for a conflict: it matches
 * no tree) and the stat data git recorded for it.
 */
type IndexEntry = { path: string; oidAt: number; mode: number; size: number; mtime: number; ctime: number; ino: number };
type Index = { entries: IndexEntry[]; mtime: number; buf: Buffer };

const UINT32 = 2 ** 32;
/**
 * Times as nanoseconds since the epoch in a double: node's Stats give milliseconds as a double
 * (isomorphic-git derives the index's nanoseconds from them), git records exact nanoseconds, so
 * the two may differ by this much for the same stat.
 */
const TIME_SLACK_NS = 1000;
const nsOf = (sec: number, nsec: number) => sec * 1e9 + nsec;
const msToNs = (ms: number) => ms * 1e6;

/** The entries under `prefixes` (each a top-level folder), in index order. */
function readIndex(dir: string, prefixes: readonly string[]): Index | null {
  const file = path.join(dir, ".git", "index");
  let buf: Buffer;
  let mtime: number;
  try {
    buf = fs.readFileSync(file);
    mtime = msToNs(fs.statSync(file).mtimeMs);
  } catch {
    return { entries: [], mtime: 0, buf: Buffer.alloc(0) }; // no index yet: nothing staged
  }
  if (buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") return null;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return null;
  const count = buf.readUInt32BE(8);
  const wanted = prefixes.map((p) => Buffer.from(`${p}/`));
  const entries: IndexEntry[] = [];
  // Where each kept entry's name lies in `buf`, to check the order without copying names.
  const names: number[] = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + 62 > buf.length) return null;
    const flags = buf.readUInt16BE(at + 60);
    const extended = version === 3 && (flags & 0x4000) !== 0;
    const nameStart = at + 62 + (extended ? 2 : 0);
    const nameEnd = buf.indexOf(0, nameStart);
    if (nameEnd === -1) return null;
    if (wanted.some((w) => nameEnd - nameStart > w.length && buf.compare(w, 0, w.length, nameStart, nameStart + w.length) === 0)) {
      names.push(nameStart, nameEnd);
      entries.push({
        path: buf.toString("utf8", nameStart, nameEnd),
        ctime: nsOf(buf.readUInt32BE(at), buf.readUInt32BE(at + 4)),
        mtime: nsOf(buf.readUInt32BE(at + 8), buf.readUInt32BE(at + 12)),
        ino: buf.readUInt32BE(at + 20),
        mode: buf.readUInt32BE(at + 24),
        size: buf.readUInt32BE(at + 36),
        // Entries with a merge stage (conflicts) count as changed.
        oidAt: (flags >> 12) & 0x3 ? -1 : at + 40,
      });
    }
    // v2/v3 entries are NUL-padded to a multiple of 8 bytes.
    at += Math.ceil((nameEnd - at + 1) / 8) * 8;
  }
  // git keeps the index sorted by path bytes; the folder runs below depend on it.
  for (let i = 2; i < names.length; i += 2) {
    if (buf.compare(buf, names[i]!, names[i + 1]!, names[i - 2]!, names[i - 1]!) < 0) {
      entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
      break;
    }
  }
  return { entries, mtime, buf };
}

/** The entry's blob id in hex; "conflict" for a conflicted entry, which no blob or tree id equals. */
const oidHex = (index: Index, e: IndexEntry) => (e.oidAt === -1 ? "conflict" : index.buf.toString("hex", e.oidAt, e.oidAt + 20));

/** One entry of a folder: a file (one index entry) or a subfolder (the run of entries under it). */
type Child = { name: string; dir: boolean; from: number; to: number };

/**
 * The folder holding entries[from, to), whose paths all start with the folder's path plus "/"
 * (`depth` characters). Sorted by path bytes, a folder's entries are contiguous and in git's
 * tree order (a subfolder sorts as "name/", which is where its entries' paths sort).
 */
class IndexFolder {
  private kids?: Child[];
  private id?: Buffer | null;
  constructor(
    readonly index: Index,
    readonly from: number,
    readonly to: number,
    private readonly depth: number,
  ) {}

  children(): Child[] {
    if (this.kids) return this.kids;
    const out: Child[] = [];
    for (let i = this.from; i < this.to; ) {
      const p = this.index.entries[i]!.path;
      const slash = p.indexOf("/", this.depth);
      if (slash === -1) {
        out.push({ name: p.slice(this.depth), dir: false, from: i, to: i + 1 });
        i++;
        continue;
      }
      const prefix = p.slice(0, slash + 1);
      let j = i + 1;
      while (j < this.to && this.index.entries[j]!.path.startsWith(prefix)) j++;
      out.push({ name: p.slice(this.depth, slash), dir: true, from: i, to: j });
      i = j;
    }
    return (this.kids = out);
  }

  sub(child: Child): IndexFolder {
    return new IndexFolder(this.index, child.from, child.to, this.depth + child.name.length + 1);
  }

  entry(child: Child): IndexEntry {
    return this.index.entries[child.from]!;
  }

  /** The paths of every entry in the folder, however deep. */
  paths(out: string[]): void {
    for (let i = this.from; i < this.to; i++) out.push(this.index.entries[i]!.path);
  }

  /** The id git gives this folder's tree; null when it holds a conflict (it matches no tree). */
  treeOid(): Buffer | null {
    if (this.id !== undefined) return this.id;
    const { buf } = this.index;
    const rows: { head: string; oid: Buffer | number }[] = [];
    let length = 0;
    for (const c of this.children()) {
      const oid = c.dir ? this.sub(c).treeOid() : this.entry(c).oidAt;
      if (oid === null || oid === -1) return (this.id = null);
      const head = `${c.dir ? "40000" : this.entry(c).mode.toString(8)} ${c.name}\0`;
      rows.push({ head, oid });
      length += Buffer.byteLength(head) + 20;
    }
    const header = `tree ${length}\0`;
    const body = Buffer.allocUnsafe(header.length + length);
    let at = body.write(header, 0, "latin1");
    for (const r of rows) {
      at += body.write(r.head, at);
      at += typeof r.oid === "number" ? buf.copy(body, at, r.oid, r.oid + 20) : r.oid.copy(body, at);
    }
    return (this.id = createHash("sha1").update(body).digest());
  }
}


async function headFiles(dir: string, cache: object, oid: string, prefix: string, out: string[]): Promise<void> {
  for (const e of (await git.readTree({ fs, dir, oid, cache })).tree) {
    if (e.type === "tree") await headFiles(dir, cache, e.oid, `${prefix}${e.path}/`, out);
    else out.push(prefix + e.path);
  }
}

async function stagedChanges(dir: string, cache: object, headTree: string | undefined, folder: IndexFolder, prefix: string, out: string[]): Promise<void> {
  if (!headTree) return folder.paths(out);
  if (folder.to > folder.from && folder.treeOid()?.toString("hex") === headTree) return;
  const kids = new Map(folder.children().map((c) => [c.name, c]));
  const seen = new Set<string>();
  for (const e of (await git.readTree({ fs, dir, oid: headTree, cache })).tree) {
    seen.add(e.path);
    const kid = kids.get(e.path);
    if (e.type === "tree") {
      if (kid?.dir) await stagedChanges(dir, cache, e.oid, folder.sub(kid), `${prefix}${e.path}/`, out);
      else {
        if (kid) out.push(prefix + e.path);
        await headFiles(dir, cache, e.oid, `${prefix}${e.path}/`, out);
      }
    } else if (!kid || kid.dir) {
      out.push(prefix + e.path);
      if (kid) folder.sub(kid).paths(out);
    } else {
      const entry = folder.entry(kid);
      if (oidHex(folder.index, entry) !== e.oid || entry.mode.toString(8) !== e.mode.replace(/^0+/, "")) out.push(prefix + e.path);
    }
  }
  for (const c of folder.children()) {
    if (seen.has(c.name)) continue;
    folder.sub(c).paths(out);
  }
}

const sha1 = (type: string, body: Buffer) => createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest();

function blobOidOf(abs: string, stats: fs.Stats): Buffer {
  return sha1("blob", stats.isSymbolicLink() ? Buffer.from(fs.readlinkSync(abs)) : fs.readFileSync(abs));
}

function modeOf(stats: fs.Stats): number {
  if (stats.isSymbolicLink()) return 0o120000;
  return stats.mode & 0o111 ? 0o100755 : 0o100644;
}

/** git's stat check: true when the file is what was staged, as far as its stat data can tell. */
function statMatches(e: IndexEntry, stats: fs.Stats): boolean {
  return (
    stats.size % UINT32 === e.size &&
    stats.ino % UINT32 === e.ino &&
    Math.abs(msToNs(stats.mtimeMs) - e.mtime) < TIME_SLACK_NS &&
    Math.abs(msToNs(stats.ctimeMs) - e.ctime) < TIME_SLACK_NS
  );
}

function unstagedChanges(dir: string, index: Index, out: string[]): void {
  for (const e of index.entries) {
    const abs = `${dir}/${e.path}`;
    let stats: fs.Stats | undefined;
    try {
      stats = fs.lstatSync(abs, { throwIfNoEntry: false });
    } catch {
      stats = undefined; // a folder on the way became a file
    }
    if (!stats) {
      out.push(e.path); // deleted
      continue;
    }
    if (e.mode === 0o160000) continue; // a submodule: its contents are another repository's
    if ((!stats.isFile() && !stats.isSymbolicLink()) || modeOf(stats) !== e.mode) {
      out.push(e.path);
      continue;
    }
    const racy = e.mtime >= index.mtime - TIME_SLACK_NS;
    if ((racy || !statMatches(e, stats)) && blobOidOf(abs, stats).toString("hex") !== oidHex(index, e)) out.push(e.path);
  }
}

/** Every file (anything but a folder) under the folder `rel`. */
function allFiles(dir: string, rel: string, out: string[]): void {
  for (const d of fs.readdirSync(`${dir}/${rel}`, { withFileTypes: true })) {
    if (d.isDirectory()) allFiles(dir, `${rel}/${d.name}`, out);
    else out.push(`${rel}/${d.name}`);
  }
}

/** Files in the folder `rel` (and below) that the index does not hold: everything but folders, as git lists them. */
function unlistedFiles(dir: string, rel: string, index: IndexFolder, out: string[]): void {
  let listing: fs.Dirent[];
  try {
    listing = fs.readdirSync(`${dir}/${rel}`, { withFileTypes: true });
  } catch {
    return; // gone, or no longer a folder: its entries are reported as deleted
  }
  const kids = new Map(index.children().map((c) => [c.name, c]));
  for (const d of listing) {
    const kid = kids.get(d.name);
    const here = `${rel}/${d.name}`;
    if (!d.isDirectory()) {
      if (!kid || kid.dir) out.push(here);
    } else if (kid?.dir) unlistedFiles(dir, here, index.sub(kid), out);
    else allFiles(dir, here, out);
  }
}

async function untrackedFiles(dir: string, prefix: string, index: IndexFolder, out: string[]): Promise<void> {
  const candidates: string[] = [];
  unlistedFiles(dir, prefix, index, candidates);
  for (const rel of candidates) if (!(await git.isIgnored({ fs, dir, filepath: rel }))) out.push(rel);
}

/** Repository-relative paths of files under the top-level folders `prefixes` that are not clean (staged, unstaged, deleted or untracked). */
export async function worktreeChanges(dir: string, cache: object, headCommit: string, prefixes: readonly string[]): Promise<string[] | null> {
  const index = readIndex(dir, prefixes);
  if (!index) return null;
  const out: string[] = [];
  const root = new IndexFolder(index, 0, index.entries.length, 0);
  const folders = new Map(root.children().map((c) => [c.name, root.sub(c)]));
  const { commit } = await git.readCommit({ fs, dir, oid: headCommit, cache });
  const headRoot = new Map((await git.readTree({ fs, dir, oid: commit.tree, cache })).tree.map((e) => [e.path, e]));
  for (const prefix of prefixes) {
    const head = headRoot.get(prefix);
    const folder = folders.get(prefix) ?? new IndexFolder(index, 0, 0, prefix.length + 1);
    if (head || folder.to > folder.from) await stagedChanges(dir, cache, head?.type === "tree" ? head.oid : undefined, folder, `${prefix}/`, out);
    await untrackedFiles(dir, prefix, folder, out);
  }
  unstagedChanges(dir, index, out);
  return [...new Set(out)].sort();
}
