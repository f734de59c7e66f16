/**
 * Which paths under some top-level folders differ between HEAD, the index and the working tree:
 * what `git status` answers, at the cost git pays (one lstat per tracked file, hashing only files
 * whose stats changed) rather than isomorphic-git's statusMatrix, which walks three trees in
 * JavaScript and took seconds on a repository of a thousand integrations.
 *
 * - HEAD vs index: tree ids are computed from the index entries exactly as git writes trees, and
 *   compared with HEAD's; only differing trees are descended into.
 * - index vs working tree: size, mtime and mode of each tracked file against its index entry;
 *   a file whose stats differ, or that was modified in the same second the index was written
 *   (git's "racy" case), is hashed and compared by blob id.
 * - untracked files that are not ignored.
 *
 * Returns null when the index is in a format this reader does not know (version 4, split index),
 * so the caller can fall back to statusMatrix.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import git from "isomorphic-git";

type IndexEntry = { path: string; mode: number; size: number; mtimeSec: number; oid: string };
type Index = { entries: IndexEntry[]; mtimeSec: number };

function readIndex(dir: string): Index | null {
  const file = path.join(dir, ".git", "index");
  let buf: Buffer;
  let mtimeSec: number;
  try {
    buf = fs.readFileSync(file);
    mtimeSec = Math.floor(fs.statSync(file).mtimeMs / 1000);
  } catch {
    return { entries: [], mtimeSec: 0 }; // no index yet: nothing staged
  }
  if (buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") return null;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return null;
  const count = buf.readUInt32BE(8);
  const entries: IndexEntry[] = [];
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + 62 > buf.length) return null;
    const flags = buf.readUInt16BE(at + 60);
    const extended = version === 3 && (flags & 0x4000) !== 0;
    const nameStart = at + 62 + (extended ? 2 : 0);
    const nameEnd = buf.indexOf(0, nameStart);
    if (nameEnd === -1) return null;
    // Entries with a merge stage (conflicts) count as changed: give them an id no tree has.
    const stage = (flags >> 12) & 0x3;
    entries.push({
      path: buf.toString("utf8", nameStart, nameEnd),
      mtimeSec: buf.readUInt32BE(at + 8),
      mode: buf.readUInt32BE(at + 24),
      size: buf.readUInt32BE(at + 36),
      oid: stage === 0 ? buf.toString("hex", at + 40, at + 60) : "conflict",
    });
    // v2/v3 entries are NUL-padded to a multiple of 8 bytes.
    at += Math.ceil((nameEnd - at + 1) / 8) * 8;
  }
  return { entries, mtimeSec };
}

const sha1 = (type: string, body: Buffer) => createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");

type TreeNode = { files: Map<string, { mode: string; oid: string }>; dirs: Map<string, TreeNode>; oid?: string };

function buildTree(entries: readonly IndexEntry[]): TreeNode {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const e of entries) {
    const parts = e.path.split("/");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.dirs.get(part);
      if (!next) node.dirs.set(part, (next = { files: new Map(), dirs: new Map() }));
      node = next;
    }
    node.files.set(parts.at(-1)!, { mode: e.mode.toString(8), oid: e.oid });
  }
  return root;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The id git gives this tree: entries sorted by name (UTF-8 bytes), directories compared as `name/`. */
function treeOid(node: TreeNode): string {
  if (node.oid) return node.oid;
  const items = [
    ...[...node.files].map(([name, f]) => ({ sortKey: name, name, mode: f.mode, oid: f.oid })),
    ...[...node.dirs].map(([name, d]) => ({ sortKey: name + "/", name, mode: "40000", oid: treeOid(d) })),
  ];
  // For ASCII names string order is byte order; only other names need the byte comparison.
  if (items.some((i) => NON_ASCII.test(i.sortKey))) items.sort((a, b) => Buffer.compare(Buffer.from(a.sortKey), Buffer.from(b.sortKey)));
  else items.sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
  // A conflicted entry makes its trees differ from every real tree.
  if (items.some((i) => i.oid === "conflict")) return (node.oid = "conflict");
  const hash = createHash("sha1");
  const parts = items.map((i) => Buffer.concat([Buffer.from(`${i.mode} ${i.name}\0`), Buffer.from(i.oid, "hex")]));
  const length = parts.reduce((n, p) => n + p.length, 0);
  hash.update(`tree ${length}\0`);
  for (const p of parts) hash.update(p);
  return (node.oid = hash.digest("hex"));
}

function indexFiles(node: TreeNode, prefix: string, out: string[]): void {
  for (const name of node.files.keys()) out.push(prefix + name);
  for (const [name, sub] of node.dirs) indexFiles(sub, `${prefix}${name}/`, out);
}

async function headFiles(dir: string, cache: object, oid: string, prefix: string, out: string[]): Promise<void> {
  for (const e of (await git.readTree({ fs, dir, oid, cache })).tree) {
    if (e.type === "tree") await headFiles(dir, cache, e.oid, `${prefix}${e.path}/`, out);
    else out.push(prefix + e.path);
  }
}

async function stagedChanges(dir: string, cache: object, headTree: string | undefined, index: TreeNode, prefix: string, out: string[]): Promise<void> {
  if (!headTree) return indexFiles(index, prefix, out);
  if (index.dirs.size + index.files.size > 0 && treeOid(index) === headTree) return;
  const seen = new Set<string>();
  for (const e of (await git.readTree({ fs, dir, oid: headTree, cache })).tree) {
    seen.add(e.path);
    const file = index.files.get(e.path);
    const sub = index.dirs.get(e.path);
    if (e.type === "tree") {
      if (sub) await stagedChanges(dir, cache, e.oid, sub, `${prefix}${e.path}/`, out);
      else await headFiles(dir, cache, e.oid, `${prefix}${e.path}/`, out);
    } else if (file?.oid !== e.oid || file.mode !== e.mode.replace(/^0+/, "")) {
      out.push(prefix + e.path);
    }
  }
  for (const name of index.files.keys()) if (!seen.has(name)) out.push(prefix + name);
  for (const [name, sub] of index.dirs) if (!seen.has(name)) indexFiles(sub, `${prefix}${name}/`, out);
}

function blobOidOf(abs: string, stats: fs.Stats): string {
  return sha1("blob", stats.isSymbolicLink() ? Buffer.from(fs.readlinkSync(abs)) : fs.readFileSync(abs));
}

function modeOf(stats: fs.Stats): number {
  if (stats.isSymbolicLink()) return 0o120000;
  return stats.mode & 0o111 ? 0o100755 : 0o100644;
}

function unstagedChanges(dir: string, index: Index, tracked: ReadonlyMap<string, IndexEntry>, out: string[]): void {
  for (const e of tracked.values()) {
    const abs = path.join(dir, e.path);
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(abs);
    } catch {
      out.push(e.path); // deleted
      continue;
    }
    if (e.mode === 0o160000) continue; // a submodule: its contents are another repository's
    if (!stats.isFile() && !stats.isSymbolicLink()) {
      out.push(e.path);
      continue;
    }
    if (modeOf(stats) !== e.mode) {
      out.push(e.path);
      continue;
    }
    const mtimeSec = Math.floor(stats.mtimeMs / 1000);
    const same = stats.size % 2 ** 32 === e.size && mtimeSec === e.mtimeSec && mtimeSec < index.mtimeSec;
    if (!same && blobOidOf(abs, stats) !== e.oid) out.push(e.path);
  }
}

async function untrackedFiles(dir: string, prefixes: readonly string[], tracked: ReadonlyMap<string, IndexEntry>, out: string[]): Promise<void> {
  for (const prefix of prefixes) {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(path.join(dir, prefix), { withFileTypes: true, recursive: true });
    } catch {
      continue;
    }
    const base = dir.length + 1;
    for (const d of names) {
      if (d.isDirectory()) continue;
      // parentPath starts with dir (readdir was given dir/prefix): slicing is path.relative without its cost.
      const rel = `${d.parentPath.slice(base)}/${d.name}`.split(path.sep).join("/");
      if (!tracked.has(rel) && !(await git.isIgnored({ fs, dir, filepath: rel }))) out.push(rel);
    }
  }
}

/** Repository-relative paths of files under the top-level folders `prefixes` that are not clean (staged, unstaged, deleted or untracked). */
export async function worktreeChanges(dir: string, cache: object, headCommit: string, prefixes: readonly string[]): Promise<string[] | null> {
  const index = readIndex(dir);
  if (!index) return null;
  const wanted = index.entries.filter((e) => prefixes.some((p) => e.path.startsWith(p + "/")));
  const tracked = new Map(wanted.map((e) => [e.path, e]));
  const out: string[] = [];
  const root = buildTree(wanted);
  const { commit } = await git.readCommit({ fs, dir, oid: headCommit, cache });
  const headRoot = new Map((await git.readTree({ fs, dir, oid: commit.tree, cache })).tree.map((e) => [e.path, e]));
  for (const prefix of prefixes) {
    const head = headRoot.get(prefix);
    const sub = root.dirs.get(prefix) ?? { files: new Map(), dirs: new Map() };
    if (!head && sub.dirs.size + sub.files.size === 0) continue;
    await stagedChanges(dir, cache, head?.type === "tree" ? head.oid : undefined, sub, `${prefix}/`, out);
  }
  unstagedChanges(dir, index, tracked, out);
  await untrackedFiles(dir, prefixes, tracked, out);
  return [...new Set(out)].sort();
}
