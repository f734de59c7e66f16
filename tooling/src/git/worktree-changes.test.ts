/** worktreeChanges against isomorphic-git's statusMatrix as the oracle, on real repositories. */
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
