import fs from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import git from "isomorphic-git";
import { afterEach, describe, expect, it } from "vitest";
import { IhubError } from "../errors.js";
import { changedIntegrations } from "./changed-integrations.js";
import { commitAll, tempDirs, writeRel as write } from "../../test-support/temp-repo.js";

const temps = tempDirs("ihub-changed-");
afterEach(() => temps.cleanup());

const manifest = (slug: string, modules?: Record<string, string>) => JSON.stringify({ slug, version: "1.0.0", ...(modules ? { dependencies: { modules } } : {}) });

/** main: a, b, c (c uses module m), d; feature forks, main moves on (changes a). HEAD = feature. */
async function forkedRepo(): Promise<string> {
  const dir = await temps.make();
  await git.init({ fs, dir, defaultBranch: "main" });
  for (const slug of ["a", "b", "d"]) await write(dir, `integrations/${slug}/integration.json`, manifest(slug));
  await write(dir, "integrations/c/integration.json", manifest("c", { m: "^1.0.0" }));
  await write(dir, "integrations/c/handlers/main.lua", "return {}\n");
  await write(dir, "integrations/_modules/m/module.json", '{"name":"m","version":"1.0.0"}');
  await write(dir, "integrations/_modules/m/init.lua", "return {}\n");
  await write(dir, "integrations/README.md", "# Integrations\n");
  await write(dir, "schemas/integration.schema.json", "{}\n");
  await write(dir, "docs/notes.md", "notes\n");
  await commitAll(dir, "base");
  await git.branch({ fs, dir, ref: "feature" });
  await write(dir, "integrations/a/integration.json", manifest("a") + "\n");
  await commitAll(dir, "main moves on");
  await git.checkout({ fs, dir, ref: "feature" });
  return dir;
}

describe("changedIntegrations", () => {
  it("finds committed changes since the merge base, not changes made on the base branch after the fork", async () => {
    const dir = await forkedRepo();
    await write(dir, "integrations/b/handlers/x.lua", "return {}\n");
    await write(dir, "docs/notes.md", "changed outside integrations\n");
    await write(dir, "integrations/README.md", "# Changed, but not an integration\n");
    await commitAll(dir, "change b");
    const result = await changedIntegrations(dir, { base: "main" });
    expect(result.slugs).toEqual(["b"]);
    expect(result.reasons).toEqual({ b: [{ kind: "committed" }] });
    expect(result.mergeBase).toBe((await git.log({ fs, dir, ref: "feature", depth: 2 }))[1]!.oid);
  });

  it("adds uncommitted (unstaged, staged and untracked) changes and module dependents", async () => {
    const dir = await forkedRepo();
    await write(dir, "integrations/b/README.md", "# B\n"); // untracked
    await write(dir, "integrations/d/integration.json", manifest("d") + " "); // modified, staged below
    await git.add({ fs, dir, filepath: "integrations/d/integration.json" });
    await write(dir, "integrations/_modules/m/init.lua", "return { x = 1 }\n"); // unstaged, in a module
    const result = await changedIntegrations(dir, { base: "main" });
    expect(result.slugs).toEqual(["b", "c", "d"]);
    expect(result.reasons).toEqual({
      b: [{ kind: "uncommitted" }],
      c: [{ kind: "module", module: "m" }],
      d: [{ kind: "uncommitted" }],
    });
  });

  it("marks every integration when schemas/ changes, and a committed module change marks its dependents", async () => {
    const dir = await forkedRepo();
    await write(dir, "integrations/_modules/m/module.json", '{"name":"m","version":"1.1.0"}');
    await commitAll(dir, "bump module");
    expect((await changedIntegrations(dir, { base: "main" })).reasons).toEqual({ c: [{ kind: "module", module: "m" }] });
    await write(dir, "schemas/integration.schema.json", '{"title":"x"}\n');
    expect((await changedIntegrations(dir, { base: "main" })).slugs).toEqual(["a", "b", "c", "d"]);
  });

  it("reports integrations deleted since the base as removed", async () => {
    const dir = await forkedRepo();
    await rm(path.join(dir, "integrations", "d"), { recursive: true });
    await commitAll(dir, "drop d");
    const result = await changedIntegrations(dir, { base: "main" });
    expect(result.slugs).toEqual(["d"]);
    expect(result.removed).toEqual(["d"]);
  });

  it("is empty when nothing changed, and accepts a commit id as base", async () => {
    const dir = await forkedRepo();
    const head = await git.resolveRef({ fs, dir, ref: "HEAD" });
    expect((await changedIntegrations(dir, { base: "HEAD" })).slugs).toEqual([]);
    expect((await changedIntegrations(dir, { base: head.slice(0, 10) })).slugs).toEqual([]);
  });

  it("refuses an unknown base with a usage error", async () => {
    const dir = await forkedRepo();
    const error = await changedIntegrations(dir, { base: "no-such-branch" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IhubError);
    expect(error).toMatchObject({ code: "IH_GIT_REF", exitCode: 2 });
  });
});
