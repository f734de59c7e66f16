import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { integrationIndexSchema, registryIndexSchema } from "@ihub/runtime/registry";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";
import { registryPaths } from "./dir-registry.js";

const PUBLISHERS = 16;
const IHUB = path.resolve("tooling/bin/ihub.js");

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "ihub-concurrent-"));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [IHUB, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("concurrent publishers", () => {
  it(`${PUBLISHERS} processes publishing into one directory registry lose nothing`, async () => {
    const registry = path.join(base, "registry");
    const env = { ...process.env, NO_COLOR: "1", IHUB_QUIET: "1", IHUB_SIGNING_KEY: generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
    // Each publisher has its own checkout: its own integration, its own version of a shared
    // one (the index every run rewrites), and the same `common` content as everyone else.
    const roots: string[] = [];
    for (let i = 0; i < PUBLISHERS; i++) {
      const root = path.join(base, `checkout-${i}`);
      await writeSampleIntegration(root, { kind: "ping", slug: `own-${i}` });
      await writeSampleIntegration(root, { kind: "ping", slug: "weather", version: `1.0.${i}`, body: `build ${i}` });
      await writeSampleIntegration(root, { kind: "ping", slug: "common" });
      roots.push(root);
    }
    const runs = await Promise.all(roots.map((root) => run(["publish", "--root", root, "--registry", registry, "--json"], env)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);

    const statuses = runs.flatMap((r) => (JSON.parse(r.stdout) as { results: { slug: string; status: string }[] }).results);
    const common = statuses.filter((s) => s.slug === "common").map((s) => s.status).sort();
    expect(common).toEqual(["published", ...Array(PUBLISHERS - 1).fill("unchanged")]);

    const p = registryPaths(registry);
    const top = registryIndexSchema.parse(JSON.parse(await readFile(p.index, "utf8")));
    expect(Object.keys(top.integrations).sort()).toEqual(["common", ...roots.map((_, i) => `own-${i}`), "weather"].sort());
    const weather = integrationIndexSchema.parse(JSON.parse(await readFile(p.slugIndex("weather"), "utf8")));
    expect(Object.keys(weather.versions)).toHaveLength(PUBLISHERS);
    expect(weather.latest).toBe(`1.0.${PUBLISHERS - 1}`);
    expect(top.integrations.weather!.versions).toBe(PUBLISHERS);
    // No temp or lock file is left behind.
    const leftovers = (await readdir(registry, { recursive: true })).filter((f) => path.basename(f).startsWith("."));
    expect(leftovers).toEqual([]);
  }, 240_000);
});
