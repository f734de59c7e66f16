/**
 * The comment rendered from real documents: `ihub validate`, `test` and `version --json` run as
 * processes on a temp git repository holding two of the repo's integrations, first as committed
 * (all green), then with deliberate mistakes in the working tree.
 */
import fs from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import git from "isomorphic-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runIhub } from "../../../test-support/ihub-process.js";
import { IhubError } from "../../errors.js";
import { commitAll, tempDirs } from "../../../test-support/temp-repo.js";
import { parseGateDocument, type GateOutcomes, type ValidateReport } from "./gate-documents.js";
import { text } from "./markdown.js";
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderComment } from "./render-comment.js";

const SLUGS = ["github-issues", "slack-messages"];
const temp = tempDirs("ihub-pr-comment-");
let root: string;
let green: GateOutcomes;
let red: GateOutcomes;

async function gateDocuments(): Promise<GateOutcomes> {
  const env = { IHUB_QUIET: "1" };
  const [validate, test, version] = await Promise.all([
    runIhub(["validate", "--json", "--root", root], { cwd: root, env }),
    runIhub(["test", "--json", "--root", root], { cwd: root, env }),
    runIhub(["version", "--base", "main", "--json", "--root", root], { cwd: root, env }),
  ]);
  return {
    validate: parseGateDocument("validate", "validate.json", validate.stdout),
    test: parseGateDocument("test", "test.json", test.stdout),
    version: parseGateDocument("version", "version.json", version.stdout),
  };
}

async function edit(rel: string, change: (text: string) => string): Promise<void> {
  const file = path.join(root, rel);
  const before = await readFile(file, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(file, after);
}

beforeAll(async () => {
  root = await temp.make();
  for (const dir of ["schemas", "integrations/_modules", ...SLUGS.map((s) => `integrations/${s}`)]) await cp(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true });
  await git.init({ fs, dir: root, defaultBranch: "main" });
  await commitAll(root, "two integrations");
  green = await gateDocuments();
  // A call to an undeclared alias in a handler (bundled, so the version gate also sees a change
  // without a bump), and a wrong expectation in a test case (tests are not bundled: no bump).
  await edit("integrations/slack-messages/handlers/channels.lua", (t) => t.replace('local http_errors = require("http-errors")\n', 'local http_errors = require("http-errors")\nlocal function audit(ctx) return ctx.device.http("audit", { path = "/x" }) end\n'));
  await edit("integrations/github-issues/tests/list-issues.test.json", (t) => t.replace('"title": "Widget crashes on empty input"', '"title": "Widget crashes on full input"'));
  red = await gateDocuments();
}, 180_000);
afterAll(() => temp.cleanup());

describe("renderComment on real gate documents", () => {
  it("says all green when nothing is wrong, with the marker first and one row per integration", () => {
    expect(green.validate?.kind).toBe("report");
    const body = renderComment(green);
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body).toContain("### ✅ ihub: all checks passed for 2 integrations");
    expect(body).toMatch(/\| ✅ github-issues \| ✅ \| ✅ 9 passed \| — \|/);
    expect(body).toMatch(/\| ✅ slack-messages \| ✅ \| ✅ \d+ passed \| — \|/);
    expect(body).not.toContain("####");
  });

  it("lists the validation error at file:line with its code, the failing case, and the missing bump with its reason", () => {
    const body = renderComment(red, { runUrl: "https://github.com/acme/hub/actions/runs/7" });
    expect(body).toContain("### ❌ ihub: 2 of 2 integrations need attention");
    const validate = red.validate?.kind === "report" ? red.validate.report : null;
    const finding = validate?.findings.find((f) => f.integration === "slack-messages" && f.code === "IH034");
    expect(finding).toMatchObject({ file: "integrations/slack-messages/handlers/channels.lua", line: 4, pointer: null });
    expect(body).toContain(`- ❌ \`IH034\` \`integrations/slack-messages/handlers/channels.lua:4:${finding!.column}\` ${text(finding!.message)}`);

    const github = body.slice(body.indexOf("#### ❌ github-issues"), body.indexOf("#### ❌ slack-messages"));
    expect(github).toContain("failed: `integrations/github-issues/tests/list-issues.test.json`");
    expect(github).toContain("(`list_issues`)");
    expect(github).toMatch(/`output` line \d+:/);
    expect(body).toMatch(/\| ❌ github-issues \| ✅ \| ❌ 1 of 9 failing \| ✅ unchanged \|/);

    const slack = body.slice(body.indexOf("#### ❌ slack-messages"));
    const plan = red.version?.kind === "report" ? red.version.report.integrations.find((p) => p.slug === "slack-messages") : undefined;
    expect(plan).toMatchObject({ status: "changed", sufficient: false });
    expect(slack).toContain(`**Version**: ${plan!.required} bump required, declared none (${plan!.baseVersion} → ${plan!.declaredVersion}) — use \`${plan!.suggested}\``);
    expect(slack).toContain("`IH_VERSION_NOT_BUMPED`");
    expect(slack).toContain("`integrations/slack-messages/handlers/channels.lua`");
    expect(body).toContain("[the job log](https://github.com/acme/hub/actions/runs/7)");
  });

  it("stays under GitHub's limit with thousands of findings, cutting lists with a count", () => {
    const report = (red.validate as { report: ValidateReport }).report;
    const template = report.findings[0]!;
    const slugs = Array.from({ length: 400 }, (_, i) => `integration-${String(i).padStart(3, "0")}`);
    const findings = slugs.flatMap((slug) => Array.from({ length: 15 }, (_, n) => ({ ...template, integration: slug, line: n + 1, message: `${template.message} `.repeat(5) })));
    const body = renderComment({ validate: { kind: "report", report: { ...report, integrations: slugs, findings } } });
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(body).toContain("- … and 5 more findings (see the job log)");
    expect(body).toContain("| … and 300 more | | | |");
    expect(body).toMatch(/_… \d+ more integrations with problems left out to stay under GitHub's comment size limit; see the job log\._/);
  });
});

describe("gate documents at the boundary", () => {
  it("shows a gate that stopped with an error document or printed nothing", () => {
    const stopped = parseGateDocument("version", "v.json", JSON.stringify({ ok: false, error: { code: "IH_GIT_REF", message: "cannot resolve origin/main", hint: "Fetch the base branch." } }));
    const body = renderComment({ validate: green.validate!, version: stopped, test: parseGateDocument("test", "t.json", "") });
    expect(body).toContain("### ❌ ihub: 2 gates did not report");
    expect(body).toContain("> ❌ **version** stopped: `IH_GIT_REF` cannot resolve origin/main<br>_Fetch the base branch._");
    expect(body).toContain("> ❌ **test** produced no report");
  });

  it("lists a broken case's problems at file:line, and a folder without cases", () => {
    const broken = { status: "broken", file: "tests/bad.test.yaml", name: null, handler: null, problems: [{ file: "tests/bad.test.yaml", pointer: "", line: 3, column: 1, message: "not valid YAML" }] };
    const doc = { format: "ihub.test/v1", ok: false, counts: { integrations: 2, pass: 0, fail: 0, broken: 1, cases: 1 }, integrations: [{ slug: "acme", ok: false, cases: [broken] }, { slug: "empty", ok: false, cases: [] }] };
    const body = renderComment({ test: parseGateDocument("test", "t.json", JSON.stringify(doc)) });
    expect(body).toContain("### ❌ ihub: 2 of 2 integrations need attention");
    expect(body).toContain("- ❌ broken: `integrations/acme/tests/bad.test.yaml`\n  - `integrations/acme/tests/bad.test.yaml:3:1`: not valid YAML");
    expect(body).toContain("| ❌ empty | — | ❌ no test cases | — |");
  });

  it("refuses what is not a gate's --json document, naming the file and the field", () => {
    const bad = (text: string) => {
      try {
        parseGateDocument("test", "t.json", text);
      } catch (e) {
        return e as IhubError;
      }
      throw new Error("parsed");
    };
    expect(bad("validate: 1 error")).toMatchObject({ code: "IH_PR_COMMENT_INPUT", exitCode: 2, message: expect.stringMatching(/^--test t\.json: not JSON/) });
    expect(bad(JSON.stringify({ format: "ihub.validate/v1" })).message).toMatch(/not an `ihub test --json` document: .* at \/format/);
  });

  it("renders what a contributor wrote as text: no second marker, HTML or mention", () => {
    const report = (green.validate as { report: ValidateReport }).report;
    const f = { code: "IH010", severity: "warning" as const, integration: "github-issues", file: "x`y.json", line: 1, column: 2, pointer: "/a", message: `${COMMENT_MARKER} <img src=x> @octocat | *bold*`, hint: "Use `*/5 * * * *` or <b>" };
    const body = renderComment({ validate: { kind: "report", report: { ...report, findings: [f] } } });
    expect(body.split(COMMENT_MARKER)).toHaveLength(2);
    expect(body).toContain("\\<!-- ihub:pr-comment --\\> \\<img src=x\\> @\u200boctocat \\| \\*bold\\*");
    expect(body).toContain("`` x`y.json:1:2 ``");
    expect(body).toContain("_Use `*/5 * * * *` or \\<b\\>_");
    expect(body).toContain("#### ⚠️ github-issues");
  });
});
