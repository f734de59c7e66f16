/**
 * The bump rules on the repository's own example integrations, read through the same snapshot
 * code as `ihub version` but from memory: each test edits one thing and checks the verdict.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import semver from "semver";
import YAML from "yaml";
import type { FileSource } from "../bundle/bundle-contents.js";
import { fsFileSource } from "../repo/fs-file-source.js";
import { planVersion, type VersionPlan } from "./plan-version.js";
import { readSnapshot } from "./read-snapshot.js";
import type { PublishedVersion } from "./snapshot.js";

type Files = Map<string, Uint8Array>;
let examples: Files;
/** github-issues' version in the checkout, and the patch versions above it. */
let current: string;
const patch = (n: number): string => (n === 0 ? current : semver.inc(patch(n - 1), "patch")!);

beforeAll(async () => {
  const repo = fsFileSource(path.resolve("."));
  examples = new Map();
  for (const file of await repo.list("integrations")) examples.set(file, (await repo.read(file))!);
  current = JSON.parse(text(examples, "integrations/github-issues/integration.json")).version;
});

function memorySource(files: Files): FileSource {
  return {
    read: async (p) => files.get(p) ?? null,
    list: async (dir) => [...files.keys()].filter((p) => p.startsWith(`${dir}/`)).sort(),
  };
}

const text = (files: Files, p: string) => Buffer.from(files.get(p)!).toString("utf8");
const put = (files: Files, p: string, t: string) => files.set(p, Buffer.from(t));

/** A copy of the examples with one integration's manifest (and optionally other files) edited. */
function edited(slug: string, edit: (m: any, files: Files) => void): Files {
  const files = new Map(examples);
  const file = `integrations/${slug}/integration.json`;
  const manifest = JSON.parse(text(files, file));
  edit(manifest, files);
  put(files, file, JSON.stringify(manifest, null, 2));
  return files;
}

async function plan(slug: string, head: Files, published: PublishedVersion[] = [], base: Files = examples): Promise<VersionPlan> {
  return planVersion({ slug, base: await readSnapshot(memorySource(base), slug), head: await readSnapshot(memorySource(head), slug), published });
}

const codes = (p: VersionPlan) => p.findings.map((f) => f.code);

describe("version gate: when a bump is required", () => {
  it("a tests-only change leaves the content digest alone and needs no bump", async () => {
    const head = new Map(examples);
    put(head, "integrations/github-issues/tests/extra.test.json", "{}\n");
    put(head, "integrations/github-issues/tests/list-issues.test.json", "{}\n");
    const p = await plan("github-issues", head);
    expect(p).toMatchObject({ status: "unchanged", required: "none", sufficient: true, reasons: [] });
    expect(p.headDigest).toBe(p.baseDigest);
  });

  it("a bundled doc change is a patch, and keeping the version is refused with a suggestion", async () => {
    const head = new Map(examples);
    put(head, "integrations/github-issues/README.md", "# GitHub Issues\n\nReworded.\n");
    const p = await plan("github-issues", head);
    expect(p).toMatchObject({ status: "changed", required: "patch", sufficient: false, suggested: patch(1) });
    expect(codes(p)).toEqual(["IH_VERSION_NOT_BUMPED"]);
    expect(p.reasons).toEqual([{ level: "patch", message: "bundle file README.md changed", file: "integrations/github-issues/README.md", pointer: null }]);
    put(head, "integrations/github-issues/integration.json", text(head, "integrations/github-issues/integration.json").replace(`"${current}"`, `"${patch(1)}"`));
    expect((await plan("github-issues", head)).sufficient).toBe(true);
  });

  it("a change to a shared module the integration bundles is a patch for it", async () => {
    const head = new Map(examples);
    put(head, "integrations/_modules/http-errors/init.lua", text(head, "integrations/_modules/http-errors/init.lua") + "\n-- comment\n");
    const p = await plan("slack-messages", head);
    expect(p.required).toBe("patch");
    expect(p.reasons[0]!.file).toBe("integrations/_modules/http-errors/init.lua");
  });
});

describe("version gate: breaking changes need a major bump", () => {
  const cases: [string, string, (m: any, files: Files) => void, string][] = [
    ["a removed handler", "github-issues", (m) => delete m.handlers.update_issue, "/handlers/update_issue"],
    ["a new required config field", "github-issues", (m) => {
      m.configSchema.properties.org = { type: "string" };
      m.configSchema.required.push("org");
    }, "/configSchema/properties/org"],
    ["a config field removed", "github-issues", (m) => delete m.configSchema.properties.perPage, "/configSchema/properties/perPage"],
    ["an input field made required", "github-issues", (m) => m.handlers.create_issue.inputSchema.required.push("body"), "/handlers/create_issue/inputSchema/properties/body"],
    ["an input type narrowed", "github-issues", (m) => (m.handlers.update_issue.inputSchema.properties.number = { type: "integer", minimum: 1, maximum: 1000 }), "/handlers/update_issue/inputSchema/properties/number/maximum"],
    ["an enum value removed from input", "github-issues", (m) => (m.handlers.list_issues.inputSchema.properties.state.enum = ["open", "closed"]), "/handlers/list_issues/inputSchema/properties/state/enum"],
    ["a container field removed", "printer-status", (m) => {
      delete m.dataContainerSchemas.status_history.properties.bedTemp;
    }, "/dataContainerSchemas/status_history/properties/bedTemp"],
    ["a resource alias removed", "printer-status", (m) => {
      m.resources = { gateway: m.resources.printers };
    }, "/resources/printers"],
    ["an output field removed", "github-issues", (m) => {
      delete m.handlers.create_issue.outputSchema.properties.url;
      m.handlers.create_issue.outputSchema.required = ["number"];
    }, "/handlers/create_issue/outputSchema/properties/url"],
    ["a used OpenAPI operation removed", "github-issues", (_m, files) => {
      const doc = YAML.parse(text(files, "integrations/github-issues/openapi.yaml"));
      delete doc.paths["/repos/{owner}/{repo}/issues/{issue_number}"].patch;
      put(files, "integrations/github-issues/openapi.yaml", YAML.stringify(doc));
    }, "/paths/~1repos~1{owner}~1{repo}~1issues~1{issue_number}/patch"],
  ];
  it.each(cases)("%s", async (_name, slug, edit, pointer) => {
    const head = edited(slug, (m, files) => {
      edit(m, files);
      m.version = m.version.replace(/^(\d+)\.(\d+)\.\d+/, (_: string, maj: string, min: string) => `${maj}.${Number(min) + 1}.0`);
    });
    const p = await plan(slug, head);
    expect(p.required).toBe("major");
    expect(codes(p)).toEqual(["IH_VERSION_INSUFFICIENT"]);
    expect(p.suggested).toMatch(/^\d+\.0\.0$/);
    expect(p.reasons.filter((r) => r.level === "major").map((r) => r.pointer)).toContain(pointer);
  });

  it("on 0.y.z a breaking change bumps y", async () => {
    const base = edited("github-issues", (m) => (m.version = "0.4.2"));
    const head = edited("github-issues", (m) => {
      m.version = "0.4.3";
      delete m.handlers.update_issue;
    });
    const p = await plan("github-issues", head, [], base);
    expect(p).toMatchObject({ required: "major", sufficient: false, suggested: "0.5.0" });
    expect(p.findings[0]!.message).toMatch(/on 0\.y\.z/);
  });
});

describe("version gate: additions are minor", () => {
  it("an optional input field and a new handler need a minor bump, and a patch bump is refused", async () => {
    const head = edited("github-issues", (m) => {
      m.version = patch(1);
      m.handlers.list_issues.inputSchema.properties.sort = { enum: ["created", "updated"] };
      m.handlers.close_issue = { ...m.handlers.update_issue, function: "update_issue", displayName: "Close issue" };
    });
    const p = await plan("github-issues", head);
    expect(p).toMatchObject({ required: "minor", sufficient: false, suggested: semver.inc(current, "minor") });
    expect(p.reasons.map((r) => `${r.level} ${r.pointer}`)).toEqual(expect.arrayContaining(["minor /handlers/close_issue", "minor /handlers/list_issues/inputSchema/properties/sort"]));
  });
});

describe("version gate: the registry floor and immutability", () => {
  it("a new integration must lie above every version the registry ever held", async () => {
    const base = new Map([...examples].filter(([p]) => !p.startsWith("integrations/github-issues/")));
    const p = await plan("github-issues", examples, [{ version: "3.1.0", contentDigest: "0".repeat(64) }], base);
    expect(p.status).toBe("new");
    expect(codes(p)).toEqual(["IH_VERSION_BELOW_REGISTRY"]);
    expect(p.suggested).toBe("4.0.0");
  });

  it("a version already published with other content is refused; with the same content it passes", async () => {
    const head = new Map(examples);
    put(head, "integrations/github-issues/tests/extra.test.json", "{}\n");
    const same = await plan("github-issues", head);
    const published = [{ version: current, contentDigest: same.headDigest! }];
    expect((await plan("github-issues", head, published)).sufficient).toBe(true);
    const p = await plan("github-issues", head, [{ version: current, contentDigest: "f".repeat(64) }]);
    expect(codes(p)).toEqual(["IH_VERSION_IMMUTABLE"]);
    expect(p.suggested).toBe(patch(1));
  });

  it("a bump that lands on a version the registry already holds is pushed above the floor", async () => {
    const head = edited("github-issues", (m) => {
      m.version = patch(1);
      m.description += " Reworded.";
    });
    const p = await plan("github-issues", head, [{ version: current, contentDigest: "a".repeat(64) }, { version: patch(1), contentDigest: "b".repeat(64) }]);
    expect(codes(p)).toEqual(["IH_VERSION_IMMUTABLE"]);
    expect(p.suggested).toBe(patch(2));
  });
});

describe("version gate findings carry the manifest line of the field involved", () => {
  const file = "integrations/github-issues/integration.json";
  /** 1-based line and column where `needle` starts in the manifest of `files`. */
  const where = (files: Files, needle: string) => {
    const lines = text(files, file).split("\n");
    const i = lines.findIndex((l) => l.includes(needle));
    return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
  };

  it("a bump finding points at the value of version", async () => {
    const head = edited("github-issues", (m) => {
      m.version = "1.1.0";
    });
    const p = await plan("github-issues", head);
    expect(p.findings).toEqual([
      { code: "IH_VERSION_DOWNGRADE", severity: "error", integration: "github-issues", file, pointer: "/version", ...where(head, '"1.1.0"'), message: `version went down from ${current} to 1.1.0`, hint: `Set "version" to ${patch(1)} and add a CHANGELOG entry.` },
    ]);
  });

  it("an invalid manifest points at the field the schema refuses", async () => {
    const head = edited("github-issues", (m) => {
      m.trustTier = "bogus";
    });
    const p = await plan("github-issues", head);
    expect(p.findings).toMatchObject([{ code: "IH_VERSION_MANIFEST_INVALID", file, pointer: "/trustTier", ...where(head, '"bogus"') }]);
  });

  it("a manifest that is not JSON points at the syntax error", async () => {
    const head = new Map(examples);
    put(head, file, text(head, file).replace(/("version": "[^"]+"),/, "$1"));
    const p = await plan("github-issues", head);
    const next = text(head, file).split("\n").findIndex((l) => l.includes('"version"')) + 2;
    expect(p.findings).toMatchObject([{ code: "IH_VERSION_MANIFEST_INVALID", file, line: next }]);
  });
});
