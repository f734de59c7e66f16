import { describe, expect, it } from "vitest";
import { hasChangelogEntry } from "./docs.js";
import { scheduleError } from "./handler-rules.js";
import { svgProblem } from "./icon.js";
import { pathMatches } from "../../analysis/openapi-operations.js";

describe("timer schedules", () => {
  it.each(["30s", "5m", "1h", "500ms", "*/5 * * * *", "0 0 * * 1-5", "0 */10 * * * *", "@hourly"])("accepts %s", (s) => expect(scheduleError(s)).toBeNull());
  it.each(["0s", "5 minutes", "* * *", "61 * * * *", "every morning", "1w"])("rejects %s", (s) => expect(scheduleError(s)).toMatch(/./));
});

describe("OpenAPI path matching", () => {
  it("matches templated segments against literal ones, ignoring the query", () => {
    expect(pathMatches("/repos/{owner}/{repo}/issues", { exact: "/repos/acme/web/issues?state=open" })).toBe(true);
    expect(pathMatches("/repos/{owner}/{repo}/issues", { exact: "/repos/acme/issues" })).toBe(false);
    expect(pathMatches("/repos/{owner}/{repo}", { exact: "/repos//web" })).toBe(false);
  });

  it("matches a concatenated path by its literal prefix", () => {
    expect(pathMatches("/repos/{owner}/{repo}/issues", { prefix: "/repos/", shown: "/repos/{…}" })).toBe(true);
    expect(pathMatches("/v1/customers/{id}", { prefix: "/v1/cust", shown: "/v1/cust{…}" })).toBe(true);
    expect(pathMatches("/v1/customers/{id}", { prefix: "/v1/charges/", shown: "/v1/charges/{…}" })).toBe(false);
    expect(pathMatches("/v1", { prefix: "/v1/x/", shown: "/v1/x/{…}" })).toBe(false);
  });
});

describe("CHANGELOG entries", () => {
  it.each(["## 1.2.0", "## [1.2.0] - 2026-01-01", "# v1.2.0 (2026-01-01)", "### 1.2.0\n"])("finds %j", (text) => expect(hasChangelogEntry(`# Changelog\n\n${text}\n`, "1.2.0")).toBe(true));
  it.each(["## 1.2.01", "- 1.2.0 fixed", "## 11.2.0", "1.2.0"])("does not take %j for an entry", (text) => expect(hasChangelogEntry(text, "1.2.0")).toBe(false));
});

describe("SVG icons", () => {
  it("accepts square width/height or viewBox", () => {
    expect(svgProblem('<svg width="24px" height="24"></svg>')).toBeNull();
    expect(svgProblem('<?xml version="1.0"?><svg viewBox="0 0 10 10"><g/></svg>')).toBeNull();
  });
  it("rejects a non-svg root, no size and a non-square box", () => {
    expect(svgProblem("<html></html>")?.code).toBe("IH052");
    expect(svgProblem("<svg></svg>")?.code).toBe("IH053");
    expect(svgProblem('<svg viewBox="0 0 10 20"/>')?.message).toMatch(/10x20/);
  });
});
