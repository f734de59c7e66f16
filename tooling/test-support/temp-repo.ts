/**
 * Real git repositories in temp folders, for tests of anything that reads git (changed
 * integrations, the working-tree reader, `ihub validate --changed`). Commits go through
 * isomorphic-git, so no git binary is needed.
 */
import fs from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import git from "isomorphic-git";

export const TEST_AUTHOR = { name: "Test", email: "test@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 };

/** Temp folders made by `make`, removed together by `cleanup` (call it from afterEach/afterAll). */
export function tempDirs(prefix: string): { make(): Promise<string>; cleanup(): Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const dir = await mkdtemp(path.join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

export async function writeRel(dir: string, rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), text);
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) await writeRel(dir, rel, text);
}

/** Stages every change of the working tree (additions, edits, deletions) and commits it. */
export async function commitAll(dir: string, message: string): Promise<string> {
  for (const [filepath, , workdir] of await git.statusMatrix({ fs, dir })) {
    if (workdir === 0) await git.remove({ fs, dir, filepath });
    else await git.add({ fs, dir, filepath });
  }
  return git.commit({ fs, dir, message, author: TEST_AUTHOR });
}
