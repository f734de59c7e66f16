/**
 * The README's contributor flow, run verbatim by bash in a fresh git repository whose
 * node_modules/.bin holds the built `ihub`, as an installed checkout's does: each line must
 * succeed on what the one before it left.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import git from "isomorphic-git";
import { afterAll, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function flowLines(): Promise<string[]> {
  const readme = await readFile(path.join(REPO, "README.md"), "utf8");
  const block = /<!-- contributor-flow:start -->\n```sh\n([\s\S]*?)```\n<!-- contributor-flow:end -->/.exec(readme);
  if (!block) throw new Error("README.md has no contributor-flow block");
  return block[1]!.split("\n").filter((l) => l.trim() !== "");
}

/** One line through bash in the repository; npx is told to stay offline, so only the local bin can answer. */
function runLine(line: string, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", line], { cwd, env: { ...process.env, NO_COLOR: "1", npm_config_offline: "true", npm_config_update_notifier: "false" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

it("the README's contributor flow works line by line on a fresh repository", async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-readme-flow-"));
  await mkdir(path.join(dir, "integrations"));
  await writeFile(path.join(dir, "integrations", ".gitkeep"), "");
  await writeFile(path.join(dir, ".gitignore"), "node_modules/\n.ihub/\n");
  await git.init({ fs, dir, defaultBranch: "main" });
  await git.add({ fs, dir, filepath: "." });
  await git.commit({ fs, dir, message: "empty repository", author: { name: "Contributor", email: "c@example.com", timestamp: 1_700_000_000, timezoneOffset: 0 } });
  await mkdir(path.join(dir, "node_modules", ".bin"), { recursive: true });
  await symlink(path.join(REPO, "tooling", "bin", "ihub.js"), path.join(dir, "node_modules", ".bin", "ihub"));

  const lines = await flowLines();
  expect(lines.map((l) => l.split(/\s+/).slice(0, 3).join(" "))).toEqual(["npx ihub new", "npx ihub validate", "npx ihub test", "npx ihub run", "npx ihub version"]);
  const outputs: string[] = [];
  for (const line of lines) {
    const { code, out } = await runLine(line, dir);
    expect(code, `${line}\n${out}`).toBe(0);
    outputs.push(out);
  }
  // What each step says, so the lines cannot pass by doing nothing.
  expect(outputs[0]).toContain("created integrations/acme-tickets/");
  expect(outputs[2]).toMatch(/1 case.* passed/);
  expect(outputs[3]).toMatch(/"id":\s*"it_1",\s*"name":\s*"First item"/);
  expect(outputs[4]).toContain("acme-tickets");
});
