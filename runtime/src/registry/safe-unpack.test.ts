import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
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

/** A one-file archive whose name is these exact bytes: tar would encode a string as valid UTF-8. */
function rawNameTgz(name: Buffer): Buffer {
  const tar = rawTar([{ path: "x".repeat(name.length), body: Buffer.from("x") }]);
  name.copy(tar, 0);
  tar.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[i]!;
  tar.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
  return gzipSync(tar);
}

let cache: string;
beforeEach(async () => {
  cache = await mkdtemp(path.join(tmpdir(), "ihub-unpack-"));
});
afterEach(async () => {
  await rm(cache, { recursive: true, force: true });
});

async function expectRefused(archive: Buffer, code: string, limits?: Parameters<typeof safeUnpack>[3]): Promise<RegistryError> {
  const dest = path.join(cache, "bundles", "x");
  const error = await safeUnpack(archive, dest, path.join(cache, "tmp"), limits).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  expect((error as RegistryError).code).toBe(code);
  // Nothing written: no destination, no leftover temp folder, nothing beside the cache.
  expect(await readdir(cache)).toEqual([]);
  expect(await readdir(path.dirname(cache)).then((names) => names.includes("evil"))).toBe(false);
  return error as RegistryError;
}

/** Refused as an unsafe name, and the message shows the name escaped: nothing in it a terminal would act on. */
async function expectUnsafeName(name: string, why: RegExp, shown: string, pax = false) {
  const error = await expectRefused(tgz([{ path: name, body: Buffer.from("x"), pax }]), "ARCHIVE_UNSAFE_NAME");
  expect(error.message).toMatch(why);
  expect(error.message).toContain(shown);
  expect(error.message).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  expect(error.location.file).toBe(shown);
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
  it("refuses names that differ only in Unicode normalisation form", () =>
    expectRefused(tgz([{ path: "caf\u00e9.lua", body: Buffer.from("1") }, { path: "cafe\u0301.lua", body: Buffer.from("2") }]), "ARCHIVE_CASE_COLLISION"));
  it("refuses names that collide once case-folded beyond ASCII", () => expectRefused(tgz([{ path: "STRASSE.lua", body: Buffer.from("1") }, { path: "stra\u00dfe.lua", body: Buffer.from("2") }]), "ARCHIVE_CASE_COLLISION"));
  describe("entry names", () => {
    it("refuses a name that is not valid UTF-8", async () => {
      const error = await expectRefused(rawNameTgz(Buffer.from([0x61, 0xff, 0xfe, 0x2e, 0x6c, 0x75, 0x61])), "ARCHIVE_UNSAFE_NAME");
      expect(error.message).toBe('entry name "a\\u{fffd}\\u{fffd}.lua" is not valid UTF-8');
    });
    it("refuses a newline", () => expectUnsafeName("a\nb.lua", /control character/, "a\\u{a}b.lua"));
    it("refuses a TAB", () => expectUnsafeName("a\tb.lua", /control character/, "a\\u{9}b.lua"));
    it("refuses a carriage return", () => expectUnsafeName("handlers/a\r.lua", /control character/, "handlers/a\\u{d}.lua"));
    it("refuses an ANSI escape", () => expectUnsafeName("\u001b[31mred.lua", /control character/, "\\u{1b}[31mred.lua"));
    it("refuses DEL", () => expectUnsafeName("a\u007f.lua", /control character/, "a\\u{7f}.lua"));
    it("refuses a C1 control (CSI)", () => expectUnsafeName("a\u009b31m.lua", /control character/, "a\\u{9b}31m.lua"));
    it("refuses a bidi override", () => expectUnsafeName("invoice\u202Eaul.exe", /bidirectional/, "invoice\\u{202e}aul.exe"));
    it("refuses a bidi isolate", () => expectUnsafeName("a\u2066b.lua", /bidirectional/, "a\\u{2066}b.lua"));
    it("refuses a zero-width character", () => expectUnsafeName("handlers/pi\u200bng.lua", /invisible/, "handlers/pi\\u{200b}ng.lua"));
    it("refuses a component ending in a dot", () => expectUnsafeName("handlers./a.lua", /ending in a dot/, "handlers./a.lua"));
    it("refuses a component ending in a space", () => expectUnsafeName("a.lua ", /ending in a space/, "a.lua "));
    it("refuses Windows device names, with or without extension, in any case", async () => {
      for (const name of ["CON", "prn.txt", "handlers/aux.lua", "Nul", "com1.json", "LPT9", "lpt3.tar.gz", "COM\u00b9"]) {
        await expectUnsafeName(name, /Windows device name/, name);
      }
      // Only the whole stem is a device: these are ordinary names.
      const dest = path.join(cache, "bundles", "ok");
      await safeUnpack(tgz([{ path: "console.lua", body: Buffer.from("1") }, { path: "com10.lua", body: Buffer.from("2") }, { path: "auxiliary/nul-check.lua", body: Buffer.from("3") }]), dest, path.join(cache, "tmp"));
      expect((await readdir(dest, { recursive: true })).sort()).toEqual(["auxiliary", "auxiliary/nul-check.lua", "com10.lua", "console.lua"]);
    });
    it("refuses a path deeper than 32 levels", async () => {
      const error = await expectRefused(tgz([{ path: "d/".repeat(32) + "a.lua", body: Buffer.from("x") }]), "ARCHIVE_PATH_TOO_LONG");
      expect(error.message).toMatch(/33 levels deep, above 32/);
    });
    it("refuses a component above 255 bytes", async () => {
      const error = await expectRefused(tgz([{ path: `${"é".repeat(128)}.lua`, body: Buffer.from("x"), pax: true }]), "ARCHIVE_PATH_TOO_LONG");
      expect(error.message).toMatch(/component above 255 bytes/);
    });
    it("refuses a path above 1,024 bytes", async () => {
      const error = await expectRefused(tgz([{ path: `${"d".repeat(200)}/`.repeat(6) + "a.lua", body: Buffer.from("x"), pax: true }]), "ARCHIVE_PATH_TOO_LONG");
      // The message names the entry, cut to what a person reads.
      expect(error.message).toMatch(/^entry path "d{200}… \(1211 bytes\)" is above 1024 bytes$/);
    });
    it("turns ENAMETOOLONG below a deeply nested cache into a typed error, leaving nothing behind", async () => {
      // 14 folders of 250 bytes: the cache path alone is about 3.5 KB, so a 1,000-byte entry passes the name checks but not PATH_MAX.
      const deep = path.join(cache, ...Array.from({ length: 14 }, (_, i) => `${i}`.padEnd(250, "x")));
      await mkdir(path.join(deep, "tmp"), { recursive: true });
      const name = `${"d".repeat(240)}/`.repeat(4) + "a.lua";
      const error = await safeUnpack(tgz([{ path: name, body: Buffer.from("x"), pax: true }]), path.join(deep, "bundles", "x"), path.join(deep, "tmp")).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ARCHIVE_PATH_TOO_LONG" });
      expect(await readdir(deep)).toEqual(["tmp"]);
      expect(await readdir(path.join(deep, "tmp"))).toEqual([]);
    });
  });
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
