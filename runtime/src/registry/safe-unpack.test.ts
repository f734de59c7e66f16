import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Header, Pax } from "tar";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RegistryError } from "./registry-error.js";
import { safeUnpack } from "./safe-unpack.js";

type RawEntry = { path: string; type?: string; body?: Buffer; size?: number; linkpath?: string; pax?: boolean };

/** Raw tar bytes with headers as given: the `tar` package's Header encodes them without sanitising. */
function rawTar(entries: RawEntry[]): Buffer {
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    const data = { path: e.path, type: (e.type ?? "File") as never, mode: 0o644, size: e.size ?? body.length, mtime: new Date(0), linkpath: e.linkpath ?? "" };
    if (e.pax) chunks.push(new Pax(data).encode());
    const block = Buffer.alloc(512);
    new Header(data).encode(block);
    chunks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  chunks.push(Buffer.alloc(1024));
  return Buffer.concat(chunks);
}
const tgz = (entries: RawEntry[]) => gzipSync(rawTar(entries));

let cache: string;
beforeEach(async () => {
  cache = await mkdtemp(path.join(tmpdir(), "ihub-unpack-"));
});
afterEach(async () => {
  await rm(cache, { recursive: true, force: true });
});

async function expectRefused(archive: Buffer, code: string, limits?: Parameters<typeof safeUnpack>[3]) {
  const dest = path.join(cache, "bundles", "x");
  const error = await safeUnpack(archive, dest, path.join(cache, "tmp"), limits).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  expect((error as RegistryError).code).toBe(code);
  // Nothing written: no destination, no leftover temp folder, nothing beside the cache.
  expect(await readdir(cache)).toEqual([]);
  expect(await readdir(path.dirname(cache)).then((names) => names.includes("evil"))).toBe(false);
}

describe("safeUnpack", () => {
  it("unpacks a regular archive into the destination", async () => {
    const dest = path.join(cache, "bundles", "ok");
    const files = await safeUnpack(tgz([{ path: "handlers/", type: "Directory" }, { path: "handlers/a.lua", body: Buffer.from("return {}") }, { path: "integration.json", body: Buffer.from("{}") }]), dest, path.join(cache, "tmp"));
    expect(files.map((f) => f.path).sort()).toEqual(["handlers/a.lua", "integration.json"]);
    expect(await readFile(path.join(dest, "handlers", "a.lua"), "utf8")).toBe("return {}");
    expect(await readdir(path.join(cache, "tmp"))).toEqual([]);
  });

  it("refuses path traversal", () => expectRefused(tgz([{ path: "../evil", body: Buffer.from("x") }]), "ARCHIVE_PATH_TRAVERSAL"));
  it("refuses traversal hidden in the middle of a path", () => expectRefused(tgz([{ path: "a/../../evil", body: Buffer.from("x") }]), "ARCHIVE_PATH_TRAVERSAL"));
  it("refuses traversal carried in a PAX path", () => expectRefused(tgz([{ path: "../" + "d/".repeat(60) + "evil", body: Buffer.from("x"), pax: true }]), "ARCHIVE_PATH_TRAVERSAL"));
  it("refuses absolute paths", () => expectRefused(tgz([{ path: "/tmp/evil", body: Buffer.from("x") }]), "ARCHIVE_ABSOLUTE_PATH"));
  it("refuses symbolic links", () => expectRefused(tgz([{ path: "link", type: "SymbolicLink", linkpath: "/etc/passwd" }]), "ARCHIVE_LINK"));
  it("refuses hard links", () => expectRefused(tgz([{ path: "a", body: Buffer.from("x") }, { path: "link", type: "Link", linkpath: "a" }]), "ARCHIVE_LINK"));
  it("refuses character devices", () => expectRefused(tgz([{ path: "dev", type: "CharacterDevice" }]), "ARCHIVE_SPECIAL_FILE"));
  it("refuses block devices", () => expectRefused(tgz([{ path: "dev", type: "BlockDevice" }]), "ARCHIVE_SPECIAL_FILE"));
  it("refuses FIFOs", () => expectRefused(tgz([{ path: "fifo", type: "FIFO" }]), "ARCHIVE_SPECIAL_FILE"));
  it("refuses duplicate names", () => expectRefused(tgz([{ path: "a.lua", body: Buffer.from("1") }, { path: "a.lua", body: Buffer.from("2") }]), "ARCHIVE_DUPLICATE"));
  it("refuses a file where a folder is needed", () => expectRefused(tgz([{ path: "a", body: Buffer.from("1") }, { path: "a/b", body: Buffer.from("2") }]), "ARCHIVE_DUPLICATE"));
  it("refuses names that differ only in case", () => expectRefused(tgz([{ path: "A.lua", body: Buffer.from("1") }, { path: "a.lua", body: Buffer.from("2") }]), "ARCHIVE_CASE_COLLISION"));
  it("refuses oversize entries before reading them", () => expectRefused(tgz([{ path: "big", body: Buffer.alloc(2048) }]), "ARCHIVE_ENTRY_TOO_LARGE", { maxEntries: 10, maxEntryBytes: 1024, maxTotalBytes: 1 << 20 }));
  it("refuses too many entries", () => expectRefused(tgz(Array.from({ length: 11 }, (_, i) => ({ path: `f${i}`, body: Buffer.from("x") }))), "ARCHIVE_TOO_MANY_ENTRIES", { maxEntries: 10, maxEntryBytes: 1024, maxTotalBytes: 1 << 20 }));
  it("refuses a decompression bomb while inflating", async () => {
    // 200 MiB of zeros compresses to ~200 KiB; the cap stops inflation at 64 MiB.
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectRefused(bomb, "ARCHIVE_TOO_LARGE");
  });
  it("refuses an archive compressed twice", () => expectRefused(gzipSync(tgz([{ path: "a", body: Buffer.from("x") }])), "ARCHIVE_CORRUPT"));
  it("refuses bytes that are not gzip", () => expectRefused(Buffer.from("not a bundle"), "ARCHIVE_CORRUPT"));
  it("refuses a tar header with a broken checksum", async () => {
    const tar = rawTar([{ path: "a", body: Buffer.from("x") }]);
    tar[0] = "b".charCodeAt(0); // the checksum no longer matches the header
    await expectRefused(gzipSync(tar), "ARCHIVE_CORRUPT");
  });
});
