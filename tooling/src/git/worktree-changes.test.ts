/** worktreeChanges against isomorphic-git's statusMatrix as the oracle, on real repositories. */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { chmod, unlink, utimes } from "node:fs/promises";
import path from "node:path";
import git from "isomorphic-git";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_AUTHOR, tempDirs, writeFiles, writeRel as write } from "../../test-support/temp-repo.js";
import { worktreeChanges } from "./worktree-changes.js";

const PREFIXES = ["integrations", "schemas"];
const temps = tempDirs("ihub-worktree-");
afterEach(() => temps.cleanup());

async function repo(): Promise<{ dir: string; head: string }> {
  const dir = await temps.make();
  await git.init({ fs, dir, defaultBranch: "main" });
  await writeFiles(dir, {
    ".gitignore": "*.log\n",
    "integrations/a/integration.json": '{"slug":"a"}\n',
    "integrations/a/handlers/main.lua": "return {}\n",
    "integrations/b/integration.json": '{"slug":"b"}\n',
    "integrations/_modules/m/init.lua": "return {}\n",
    "schemas/integration.schema.json": "{}\n",
    "docs/notes.md": "outside the prefixes\n",
  });
  for (const filepath of [".gitignore", "integrations", "schemas", "docs"]) await git.add({ fs, dir, filepath });
  const head = await git.commit({ fs, dir, message: "base", author: TEST_AUTHOR });
  // Age every file so the racy-timestamp rule does not force hashing: the stat path is what is under test.
  const old = new Date(Date.now() - 60_000);
  for (const rel of await fs.promises.readdir(dir, { recursive: true })) if (!rel.startsWith(".git")) await utimes(path.join(dir, rel), old, old);
  await git.add({ fs, dir, filepath: "integrations" });
  await git.add({ fs, dir, filepath: "schemas" });
  return { dir, head };
}

/**
 * Records the file's current stat data in its index entry, blob id untouched: the index then
 * claims the file is as staged (what git would record had it staged the file without reading it).
 */
function recordStat(dir: string, rel: string): void {
  const file = path.join(dir, ".git", "index");
  const index = fs.readFileSync(file);
  const stats = fs.lstatSync(path.join(dir, rel), { bigint: true });
  let at = 12;
  for (let i = 0; i < index.readUInt32BE(8); i++) {
    const end = index.indexOf(0, at + 62);
    if (index.toString("utf8", at + 62, end) === rel) {
      index.writeUInt32BE(Number(stats.ctimeNs / 1_000_000_000n), at);
      index.writeUInt32BE(Number(stats.ctimeNs % 1_000_000_000n), at + 4);
      index.writeUInt32BE(Number(stats.mtimeNs / 1_000_000_000n), at + 8);
      index.writeUInt32BE(Number(stats.mtimeNs % 1_000_000_000n), at + 12);
      index.writeUInt32BE(Number(stats.ino % 2n ** 32n), at + 20);
      index.writeUInt32BE(Number(stats.size), at + 36);
      createHash("sha1").update(index.subarray(0, -20)).digest().copy(index, index.length - 20);
      fs.writeFileSync(file, index);
      return;
    }
    at += Math.ceil((end - at + 1) / 8) * 8;
  }
  throw new Error(`${rel} is not in the index`);
}

async function oracle(dir: string): Promise<string[]> {
  const rows = await git.statusMatrix({ fs, dir, filepaths: PREFIXES });
  return rows.filter(([, h, w, s]) => !(h === 1 && w === 1 && s === 1)).map(([f]) => f).sort();
}

describe("worktreeChanges", () => {
  it("is empty on a clean tree", async () => {
    const { dir, head } = await repo();
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual([]);
    expect(await oracle(dir)).toEqual([]);
  });

  it("finds unstaged edits, deletions, mode changes and untracked files, and skips ignored ones", async () => {
    const { dir, head } = await repo();
    await write(dir, "integrations/a/handlers/main.lua", "return {1}\n");
    await unlink(path.join(dir, "integrations/b/integration.json"));
    await chmod(path.join(dir, "schemas/integration.schema.json"), 0o755);
    await write(dir, "integrations/c/integration.json", '{"slug":"c"}\n');
    await write(dir, "integrations/a/debug.log", "ignored\n");
    await write(dir, "docs/notes.md", "changed, but outside the prefixes\n");
    const expected = ["integrations/a/handlers/main.lua", "integrations/b/integration.json", "integrations/c/integration.json", "schemas/integration.schema.json"];
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual(expected);
    // statusMatrix ignores the executable bit; git (core.fileMode) and this reader do not.
    expect(await oracle(dir)).toEqual(expected.filter((f) => !f.startsWith("schemas/")));
  });

  it("finds an edit of the same size and mtime second by hashing when the file is as new as the index", async () => {
    const { dir, head } = await repo();
    await write(dir, "integrations/a/integration.json", '{"slug":"A"}\n');
    await git.add({ fs, dir, filepath: "schemas" }); // rewrites the index now: the edit above is "racy"
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual(["integrations/a/integration.json"]);
  });

  it("finds an edit that keeps the size and the mtime by its changed ctime", async () => {
    const { dir, head } = await repo();
    const rel = "integrations/a/integration.json";
    const before = fs.statSync(path.join(dir, rel));
    await write(dir, rel, '{"slug":"A"}\n');
    await utimes(path.join(dir, rel), before.atime, before.mtime);
    expect(fs.statSync(path.join(dir, rel)).size).toBe(before.size);
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual([rel]);
    expect(await oracle(dir)).toEqual([rel]);
  });

  it("finds a new untracked file in a tracked folder and in a new folder, and a deleted file", async () => {
    const { dir, head } = await repo();
    await write(dir, "integrations/a/handlers/extra.lua", "return {}\n");
    await write(dir, "integrations/new/deep/er/file.txt", "new\n");
    await unlink(path.join(dir, "integrations/_modules/m/init.lua"));
    const expected = ["integrations/_modules/m/init.lua", "integrations/a/handlers/extra.lua", "integrations/new/deep/er/file.txt"];
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual(expected);
    expect(await oracle(dir)).toEqual(expected);
  });

  it("trusts the stat data of an entry older than the index, and hashes a racily clean one (not older than the index)", async () => {
    const { dir, head } = await repo();
    const rel = "integrations/b/integration.json";
    await write(dir, rel, '{"slug":"B"}\n');
    recordStat(dir, rel);
    const index = path.join(dir, ".git", "index");
    // In seconds to the nanosecond, as far as a double holds them (a Date would round to the millisecond).
    const mtime = Number(fs.statSync(path.join(dir, rel), { bigint: true }).mtimeNs) / 1e9;
    // Written well after the file: the matching stat data says "as staged", and it is not read (as git does).
    await utimes(index, mtime, mtime + 10);
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual([]);
    // Written in the same tick as the file: it may have changed after being staged, so it is hashed.
    await utimes(index, mtime, mtime);
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual([rel]);
  });

  it("finds staged changes, staged additions of whole folders and staged removals", async () => {
    const { dir, head } = await repo();
    await write(dir, "integrations/_modules/n/init.lua", "return {}\n");
    await write(dir, "integrations/a/handlers/main.lua", "return {2}\n");
    await git.add({ fs, dir, filepath: "integrations" });
    await git.remove({ fs, dir, filepath: "integrations/b/integration.json" });
    const expected = ["integrations/_modules/n/init.lua", "integrations/a/handlers/main.lua", "integrations/b/integration.json"];
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toEqual(expected);
    expect(await oracle(dir)).toEqual(expected);
  });

  it("gives up (null) on an index format it does not read", async () => {
    const { dir, head } = await repo();
    const index = fs.readFileSync(path.join(dir, ".git", "index"));
    index.writeUInt32BE(4, 4);
    fs.writeFileSync(path.join(dir, ".git", "index"), index);
    expect(await worktreeChanges(dir, {}, head, PREFIXES)).toBeNull();
  });
});
