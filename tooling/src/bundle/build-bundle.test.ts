import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { Header } from "tar";
import { afterAll, describe, expect, it } from "vitest";
import { computeIntegrity } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { buildBundle } from "./build-bundle.js";
import { BUNDLE_MTIME } from "./pack-tgz.js";
import { writeSampleIntegration } from "../../test-support/sample-integration.js";

const temps: string[] = [];
async function tempRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ihub-bundle-"));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** Every header of a tar stream, decoded by the `tar` package. */
function headers(tar: Buffer): Header[] {
  const out: Header[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = new Header(tar, off);
    if (h.nullBlock) break;
    out.push(h);
    off += 512 + 512 * Math.ceil((h.size ?? 0) / 512);
  }
  return out;
}

describe("bundle", () => {
  it("gives byte-identical bundles from two separate copies with different file times and modes", async () => {
    const a = await tempRepo();
    const b = await tempRepo();
    await writeSampleIntegration(a, { kind: "ping", slug: "weather" });
    await writeSampleIntegration(b, { kind: "ping", slug: "weather" });
    // The second copy differs in everything a naive tar would record.
    const lua = path.join(b, "integrations/weather/handlers/ping.lua");
    await chmod(lua, 0o700);
    await utimes(lua, new Date("2001-02-03T04:05:06Z"), new Date("2001-02-03T04:05:06Z"));
    await utimes(path.join(b, "integrations/weather/integration.json"), new Date(), new Date(Date.now() - 86_400_000));

    const first = await buildBundle(fsFileSource(a), "weather");
    const second = await buildBundle(fsFileSource(b), "weather");
    expect(Buffer.compare(first.bytes, second.bytes)).toBe(0);
    expect(first.integrity).toEqual(computeIntegrity(second.bytes));
    expect(first.contentDigest).toBe(second.contentDigest);
  });

  it("the CLI writes the same bytes in two clean repos", async () => {
    const outs: Buffer[] = [];
    for (let copy = 0; copy < 2; copy++) {
      const repo = await tempRepo();
      await writeSampleIntegration(repo, { kind: "ping", slug: "weather" });
      // Each copy signs with its own key: the signature is beside the bundle, never inside it.
      const key = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      execFileSync(process.execPath, [path.resolve("tooling/bin/ihub.js"), "bundle", "--root", repo, "--json"], { env: { ...process.env, IHUB_SIGNING_KEY: key } });
      outs.push(await readFile(path.join(repo, ".ihub/bundles/weather/1.0.0.tgz")));
      const meta = JSON.parse(await readFile(path.join(repo, ".ihub/bundles/weather/1.0.0.json"), "utf8"));
      expect(meta.integrity).toEqual(computeIntegrity(outs.at(-1)!));
      expect(meta.signature.algorithm).toBe("ed25519");
    }
    expect(Buffer.compare(outs[0]!, outs[1]!)).toBe(0);
  });

  it("writes fixed, portable headers and a gzip header without time or name", async () => {
    const repo = await tempRepo();
    await writeSampleIntegration(repo, { kind: "ping", slug: "weather" });
    const { bytes } = await buildBundle(fsFileSource(repo), "weather");
    // gzip: magic, deflate, no flags (so no FNAME), MTIME zero.
    expect([...bytes.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    const all = headers(gunzipSync(bytes));
    expect(all.map((h) => h.path)).toEqual(["CHANGELOG.md", "README.md", "handlers/", "handlers/ping.lua", "icon.svg", "integration.json"]);
    for (const h of all) {
      expect(h.mtime?.getTime()).toBe(BUNDLE_MTIME.getTime());
      expect([h.uid, h.gid, h.uname, h.gname]).toEqual([0, 0, "", ""]);
      expect(h.mode).toBe(h.type === "Directory" ? 0o755 : 0o644);
    }
    // Tests are not bundle material.
    expect(all.some((h) => h.path?.startsWith("tests"))).toBe(false);
  });

  it("changes bytes and content digest when a bundled file changes, not when a test changes", async () => {
    const repo = await tempRepo();
    await writeSampleIntegration(repo, { kind: "ping", slug: "weather" });
    const before = await buildBundle(fsFileSource(repo), "weather");
    await writeFile(path.join(repo, "integrations/weather/tests/ping.test.json"), "{}\n");
    expect((await buildBundle(fsFileSource(repo), "weather")).contentDigest).toBe(before.contentDigest);
    await writeSampleIntegration(repo, { kind: "ping", slug: "weather", body: "PONG" });
    const after = await buildBundle(fsFileSource(repo), "weather");
    expect(after.contentDigest).not.toBe(before.contentDigest);
    expect(after.integrity.sha512).not.toBe(before.integrity.sha512);
  });

  it("refuses a manifest that is not JSON, invalid, or names another slug, with file and pointer", async () => {
    const repo = await tempRepo();
    const dir = await writeSampleIntegration(repo, { kind: "ping", slug: "weather" });
    const manifest = path.join(dir, "integration.json");
    const original = await readFile(manifest, "utf8");

    await writeFile(manifest, "{ nope");
    await expect(buildBundle(fsFileSource(repo), "weather")).rejects.toMatchObject({ code: "IH_BUNDLE_MANIFEST_INVALID", location: { file: "integrations/weather/integration.json" } });

    await writeFile(manifest, JSON.stringify({ ...JSON.parse(original), version: "one" }));
    const invalid = await buildBundle(fsFileSource(repo), "weather").catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(IhubError);
    expect((invalid as IhubError).location.pointer).toBe("/version");

    await writeFile(manifest, JSON.stringify({ ...JSON.parse(original), slug: "other" }));
    await expect(buildBundle(fsFileSource(repo), "weather")).rejects.toMatchObject({ code: "IH_BUNDLE_MANIFEST_INVALID", location: { pointer: "/slug" } });

    await expect(buildBundle(fsFileSource(repo), "missing")).rejects.toMatchObject({ code: "IH_BUNDLE_NO_MANIFEST" });
  });
});
