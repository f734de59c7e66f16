/** `ihub runtime start` as a real process: the URL it prints is the one it listens on, SIGTERM stops it cleanly. */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../../bin/ihub.js", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-runtime-cmd-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("prints one JSON line with the real URL on --port 0, serves it, and exits 0 on SIGTERM", async () => {
  const child = spawn(process.execPath, [BIN, "runtime", "start", "--root", dir, "--db", path.join(dir, "rt.sqlite"), "--registry", path.join(dir, "registry"), "--port", "0", "--json"], {
    env: { ...process.env, IHUB_RUNTIME_ADMIN_TOKEN: "admin-zq-cli-5521", IHUB_RUNTIME_KEY: "11".repeat(32) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const { url } = JSON.parse(first) as { url: string };
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(url).not.toMatch(/:4870$/);
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
  const created = await fetch(`${url}/v1/tenants`, { method: "POST", headers: { authorization: "Bearer admin-zq-cli-5521", "content-type": "application/json" }, body: JSON.stringify({ name: "cli" }) });
  expect(created.status).toBe(201);
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
}, 30_000);
