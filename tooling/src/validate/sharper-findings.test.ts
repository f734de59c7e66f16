/**
 * Findings that say exactly what is wrong and what to do: the source line with a caret for syntax
 * errors in plain words, the alias probably meant, the version the CHANGELOG needs. Each case
 * edits the committed `minimal` fixture in a temp dir and asserts the whole finding.
 */
import { describe, expect, it } from "vitest";
import { findingsOfEditedMinimal as findingsWith } from "../../test-support/edited-fixture.js";
import { FINDING_CODES } from "./codes.js";

const base = { integration: "minimal", severity: "error" } as const;

describe("IH003: the manifest's syntax error in plain words, under its line", () => {
  it("a missing comma", async () => {
    const findings = await findingsWith({ "integration.json": (t) => t.replace('"version": "1.0.0",', '"version": "1.0.0"') });
    expect(findings).toEqual([
      {
        ...base,
        code: "IH003",
        file: "integrations/minimal/integration.json",
        line: 7,
        column: 3,
        pointer: null,
        message: "integration.json is not valid JSON at line 7, column 3: expected ',' between two entries",
        hint: FINDING_CODES.IH003.hint,
        excerpt: '7 |   "publisher": "Example Corp",\n  |   ^',
      },
    ]);
  });

  it("a trailing comma", async () => {
    const findings = await findingsWith({ "integration.json": (t) => t.replace('"description": "Answers with ok."', '"description": "Answers with ok.",') });
    expect(findings.map((f) => [f.message, f.excerpt])).toEqual([
      ["integration.json is not valid JSON at line 26, column 5: a comma before '}' (JSON allows no trailing comma)", "26 |     }\n   |     ^"],
    ]);
  });
});

describe("IH030: the Lua syntax error in plain words, at its column", () => {
  it("a block left open", async () => {
    const findings = await findingsWith({ "handlers/main.lua": () => "return {\n  ping = function(ctx, input)\n    return { ok = true }\n}\n" });
    expect(findings).toEqual([
      {
        ...base,
        code: "IH030",
        file: "integrations/minimal/handlers/main.lua",
        line: 4,
        column: 1,
        pointer: null,
        message: "handlers/main.lua:4: 'function' opened at line 2 is not closed: expected 'end' before '}'",
        hint: FINDING_CODES.IH030.hint,
        excerpt: "4 | }\n  | ^",
      },
    ]);
  });

  it("a token out of place", async () => {
    const findings = await findingsWith({ "handlers/main.lua": () => "return {\n  ping = function(ctx, input)\n    local n = = 1\n    return { ok = true }\n  end,\n}\n" });
    expect(findings.map((f) => [f.message, f.column, f.excerpt])).toEqual([["handlers/main.lua:3: '=' is out of place here", 15, "3 |     local n = = 1\n  |               ^"]]);
  });
});

describe("IH034: an undeclared alias names the declared one closest to it", () => {
  const manifest = (t: string) => {
    const m = JSON.parse(t);
    m.resources = { github: { kind: "http", description: "GitHub" }, gitlab_db: { kind: "sql", description: "a database" } };
    m.permissions = { device: { github: {} } };
    return JSON.stringify(m, null, 2);
  };

  it("of the kind the call needs", async () => {
    const findings = await findingsWith({
      "integration.json": manifest,
      "handlers/main.lua": () => 'return {\n  ping = function(ctx, input)\n    local res = ctx.device.http("githb", { path = "/ping" })\n    return { ok = res.status == 200 }\n  end,\n}\n',
    });
    expect(findings).toEqual([
      {
        ...base,
        code: "IH034",
        file: "integrations/minimal/handlers/main.lua",
        line: 3,
        column: 17,
        pointer: null,
        message: 'ctx.device.http names alias "githb", which is not declared under resources',
        hint: 'Did you mean "github", the declared http alias closest to "githb"? Otherwise declare "githb" under `resources` with kind http.',
      },
    ]);
  });

  it("falls back to the code's hint when nothing is declared", async () => {
    const findings = await findingsWith({ "handlers/main.lua": () => 'return {\n  ping = function(ctx, input)\n    return ctx.device.http("api", { path = "/" })\n  end,\n}\n' });
    expect(findings.map((f) => [f.code, f.hint])).toEqual([["IH034", FINDING_CODES.IH034.hint]]);
  });
});

describe("IH072: the hint names the manifest's own version", () => {
  it("and the line of the newest entry, where the heading goes above", async () => {
    const findings = await findingsWith({
      "integration.json": (t) => t.replace('"version": "1.0.0"', '"version": "2.3.1"'),
      "CHANGELOG.md": () => "# Changelog\n\nNotes.\n\n## 2.3.0\n\n- Before.\n",
    });
    expect(findings).toEqual([
      {
        ...base,
        code: "IH072",
        file: "integrations/minimal/CHANGELOG.md",
        line: 5,
        column: 1,
        pointer: null,
        message: "CHANGELOG.md has no heading for version 2.3.1",
        hint: "Add a heading `## 2.3.1` to CHANGELOG.md above the newest entry, with what changed in it.",
      },
    ]);
  });
});
