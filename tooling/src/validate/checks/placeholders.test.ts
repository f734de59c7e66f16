import { describe, expect, it } from "vitest";
import { findingsOfEditedMinimal } from "../../../test-support/edited-fixture.js";
import { FINDING_CODES } from "../codes.js";
import { placeholdersIn } from "./placeholder-text.js";

describe("what counts as a placeholder", () => {
  it.each([
    ["TODO: your name", ["TODO", "your name"]],
    ["FIXME later, TBD and XXX", ["FIXME", "TBD", "XXX"]],
    ["CHANGEME", ["CHANGEME"]],
    ["a TODO-like word", ["TODO"]],
    ["Your-Name Ltd", ["Your-Name"]],
    ["your_organization", ["your_organization"]],
    ["Lorem ipsum dolor", ["Lorem ipsum"]],
    ["<your company here>", ["<your company here>"]],
    ["{{ publisher }}", ["{{ publisher }}"]],
  ])("%j", (text, expected) => {
    expect(placeholdersIn(text).map((m) => m.text)).toEqual(expected);
  });

  it.each(["Creates a todo item in Todoist", "Acme Inc.", "Reads items from the Acme API.", "A mutex", "TODOS", "Base URL, e.g. https://api.example.com."])("not %j", (text) => {
    expect(placeholdersIn(text)).toEqual([]);
  });

  it("counts the domains reserved for examples only where asked (publisher)", () => {
    expect(placeholdersIn("dev@example.com").map((m) => m.text)).toEqual([]);
    expect(placeholdersIn("dev@api.EXAMPLE.org", { domains: true }).map((m) => m.text)).toEqual(["EXAMPLE.org"]);
  });
});

describe("placeholder findings", () => {
  it("IH015: an error at the publisher", async () => {
    const findings = await findingsOfEditedMinimal({ "integration.json": (t) => t.replace('"publisher": "Example Corp"', '"publisher": "ops@example.com"') });
    expect(findings).toEqual([
      {
        code: "IH015",
        severity: "error",
        integration: "minimal",
        file: "integrations/minimal/integration.json",
        line: 7,
        column: 16,
        pointer: "/publisher",
        message: 'publisher "ops@example.com" is a placeholder (a domain reserved for examples: "example.com")',
        hint: FINDING_CODES.IH015.hint,
      },
    ]);
  });

  it("IH016: a warning at each name or description that holds one", async () => {
    const findings = await findingsOfEditedMinimal({
      "integration.json": (t) => t.replace('"description": "A minimal integration that breaks exactly one rule."', '"description": "TBD"').replace('"displayName": "Ping"', '"displayName": "Ping {{name}}"'),
    });
    expect(findings.map((f) => [f.code, f.severity, f.pointer, f.line, f.message])).toEqual([
      ["IH016", "warning", "/description", 5, 'description holds a placeholder (a marker left to fill in: "TBD")'],
      ["IH016", "warning", "/handlers/ping/displayName", 24, 'handlers.ping.displayName holds a placeholder (a template phrase: "{{name}}")'],
    ]);
  });

  it("IH073: a warning at each placeholder in README.md, with the line and a caret", async () => {
    const findings = await findingsOfEditedMinimal({ "README.md": () => "# Minimal\n\nWhat it does: TODO.\n\nMaintained by your-name.\n" });
    expect(findings).toEqual([
      {
        code: "IH073",
        severity: "warning",
        integration: "minimal",
        file: "integrations/minimal/README.md",
        line: 3,
        column: 15,
        pointer: null,
        message: 'README.md holds a placeholder (a marker left to fill in: "TODO")',
        hint: FINDING_CODES.IH073.hint,
        excerpt: "3 | What it does: TODO.\n  |               ^",
      },
      {
        code: "IH073",
        severity: "warning",
        integration: "minimal",
        file: "integrations/minimal/README.md",
        line: 5,
        column: 15,
        pointer: null,
        message: 'README.md holds a placeholder (a template phrase: "your-name")',
        hint: FINDING_CODES.IH073.hint,
        excerpt: "5 | Maintained by your-name.\n  |               ^",
      },
    ]);
  });
});
