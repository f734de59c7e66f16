import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistryServer, IMMUTABLE, listen, REVALIDATE } from "./serve-registry.js";

let dir: string;
let server: http.Server;
let base: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ihub-serve-"));
  await mkdir(path.join(dir, "weather", "records"), { recursive: true });
  await writeFile(path.join(dir, "index.json"), '{"format":1}\n');
  await writeFile(path.join(dir, "weather", "1.0.0.tgz"), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  await writeFile(path.join(dir, "weather", "records", "1.0.0.json"), "{}\n");
  await writeFile(path.join(dir, ".publish.lock"), "");
  await writeFile(path.join(dir, "weather", ".index.json.123.tmp"), "half");
  server = createRegistryServer(dir);
  base = (await listen(server, 0, "127.0.0.1")).url;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe("ihub registry serve", () => {
  it("serves bundles and records as immutable, with an ETag", async () => {
    const res = await fetch(new URL("weather/1.0.0.tgz", base));
    expect(res.status).toBe(200);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0x1f, 0x8b, 1, 2, 3]);
    expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
    expect(res.headers.get("etag")).toMatch(/^W\/"/);
    expect((await fetch(new URL("weather/records/1.0.0.json", base))).headers.get("cache-control")).toBe(IMMUTABLE);
  });

  it("answers 304 to If-None-Match and makes clients revalidate indexes", async () => {
    const first = await fetch(new URL("index.json", base));
    expect(first.headers.get("cache-control")).toBe(REVALIDATE);
    const etag = first.headers.get("etag")!;
    const again = await fetch(new URL("index.json", base), { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("cache-control")).toBe(REVALIDATE);
    // A publish replaces the file with content of another size, so the weak ETag (size and mtime)
    // changes without waiting for the file system's clock to tick.
    await writeFile(path.join(dir, "index.json"), '{"format":1,"changed":true}\n');
    const changed = await fetch(new URL("index.json", base), { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ format: 1, changed: true });
  });

  it("hides lock and temp files, answers 404 for unknown paths and 405 for writes", async () => {
    expect((await fetch(new URL(".publish.lock", base))).status).toBe(404);
    expect((await fetch(new URL("weather/.index.json.123.tmp", base))).status).toBe(404);
    expect((await fetch(new URL("nope/1.0.0.tgz", base))).status).toBe(404);
    expect((await fetch(new URL("%2e%2e/%2e%2e/etc/passwd", base))).status).toBe(404);
    expect((await fetch(new URL("index.json", base), { method: "PUT", body: "x" })).status).toBe(405);
    expect((await fetch(new URL("%E0%A4%A", base))).status).toBe(400);
  });
});
