import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { integrationPath, MANIFEST_FILE } from "../layout/integration-layout.js";
import { parseManifest } from "./parse-manifest.js";

const repo = new URL("../../../", import.meta.url);
const manifestText = () => readFile(new URL(integrationPath("github-issues", MANIFEST_FILE), repo), "utf8");

describe("parseManifest", () => {
  it("returns the manifest of a valid folder, and each problem as a typed value", async () => {
    const text = await manifestText();
    expect(parseManifest(text, "github-issues")).toMatchObject({ ok: true, manifest: { slug: "github-issues" } });
    expect(parseManifest("{", "github-issues")).toMatchObject({ ok: false, problem: "not-json" });
    expect(parseManifest(text, "elsewhere")).toEqual({ ok: false, problem: "slug-mismatch", declared: "github-issues", pointer: "/slug" });
    // The caller that does not know the folder (the executor) skips the slug check.
    expect(parseManifest(text)).toMatchObject({ ok: true });
  });

  it("points at the first schema problem with an escaped JSON pointer", async () => {
    const manifest = JSON.parse(await manifestText());
    // A handler name with a slash is not snake_case: the pointer names the key, escaped.
    manifest.handlers["a/b"] = Object.values(manifest.handlers)[0];
    expect(parseManifest(JSON.stringify(manifest))).toMatchObject({ ok: false, problem: "invalid", pointer: "/handlers/a~1b" });
  });
});
