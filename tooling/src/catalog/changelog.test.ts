import { describe, expect, it } from "vitest";
import { parseChangelog } from "./changelog.js";

describe("parseChangelog", () => {
  it("reads versions, dates and bodies in the common heading styles", () => {
    const text = [
      "# Changelog",
      "",
      "## [2.0.0] - 2026-06-01",
      "### Changed",
      "- `region` is required.",
      "",
      "## v1.1.0 (2026-03-02)",
      "- Adds polling.",
      "```",
      "## 9.9.9 inside a fence is not a heading",
      "```",
      "## 1.0.0",
      "First.",
      "# Appendix",
      "not part of 1.0.0",
    ].join("\n");
    expect(parseChangelog(text)).toEqual([
      { version: "2.0.0", date: "2026-06-01", body: "### Changed\n- `region` is required." },
      { version: "1.1.0", date: "2026-03-02", body: "- Adds polling.\n```\n## 9.9.9 inside a fence is not a heading\n```" },
      { version: "1.0.0", body: "First." },
    ]);
  });

  it("ignores headings that are not versions and returns nothing for empty or odd text", () => {
    expect(parseChangelog("## Unreleased\n- wip\n")).toEqual([]);
    expect(parseChangelog("")).toEqual([]);
    expect(parseChangelog("\u0000\u0000## 1.0\n")).toEqual([]);
  });
});
