/**
 * The official JSON Schema Test Suite (draft 2020-12, vendored in
 * tooling/test-support/json-schema-test-suite/ with its licence and commit) through the two
 * places an embedded schema matters:
 *
 * 1. `ihub validate`: every object schema of every group becomes a handler's inputSchema in one
 *    integration; none may be refused except those that reference documents a bundle cannot
 *    carry (IH049) and those the runtime's validator cannot compile (IH040), each named below
 *    with its reason.
 * 2. The runtime: every test instance of every accepted group goes as the input of that handler
 *    through `execute` (input validation, then the real sandbox); the verdict must be the suite's
 *    `valid` flag, except for the divergences listed below, each a known limit of ajv.
 *
 * 3. Formats: 2020-12 makes asserting them optional; the runtime asserts every one it knows, and
 *    the suite's optional/format groups measure how well, with the misses listed below.
 *
 * The lists are exact: a fix in ajv or here fails the test until the list shrinks with it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute, loadIntegration, memoryStorage, SandboxPool, type HttpTransport, type SqlTransport } from "@ihub/runtime";
import { compiledSchema } from "@ihub/runtime/json-schema";
import type { Finding } from "../../findings/finding.js";
import { validateRepo } from "../validate-repo.js";

const SUITE = fileURLToPath(new URL("../../../test-support/json-schema-test-suite/tests/draft2020-12/", import.meta.url));
const MINIMAL = fileURLToPath(new URL("../../../test-fixtures/validate/minimal/integrations/minimal/", import.meta.url));

type SuiteTest = { description: string; data: unknown; valid: boolean };
type Group = { key: string; file: string; description: string; schema: unknown; tests: SuiteTest[]; handler: string };

const groups: Group[] = readdirSync(SUITE)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .flatMap((file) => (JSON.parse(readFileSync(path.join(SUITE, file), "utf8")) as Omit<Group, "key" | "file" | "handler">[]).map((g) => ({ ...g, file, key: `${file} | ${g.description}` })))
  .map((g, i) => ({ ...g, handler: `suite_${String(i).padStart(3, "0")}` }));
// A manifest embeds schemas as objects; the suite's boolean root schemas (boolean_schema.json) cannot be placed.
const placeable = groups.filter((g) => typeof g.schema === "object" && g.schema !== null);

const REMOTE = "references a document outside the schema (the suite's remotes/), which a bundle does not carry";
/** Groups `ihub validate` refuses, with the code and why. Every group of refRemote.json is about remote documents. */
const refused: Record<string, { code: "IH040" | "IH049"; reason: string }> = {
  ...Object.fromEntries(groups.filter((g) => g.file === "refRemote.json").map((g) => [g.key, { code: "IH049", reason: REMOTE }])),
  "dynamicRef.json | strict-tree schema, guards against misspelled properties": { code: "IH049", reason: REMOTE },
  "dynamicRef.json | tests for implementation dynamic anchor and reference link": { code: "IH049", reason: REMOTE },
  "dynamicRef.json | $ref and $dynamicAnchor are independent of order - $defs first": { code: "IH049", reason: REMOTE },
  "dynamicRef.json | $ref and $dynamicAnchor are independent of order - $ref first": { code: "IH049", reason: REMOTE },
  "vocabulary.json | schema that uses custom metaschema with with no validation vocabulary": { code: "IH049", reason: "its $schema is a custom meta-schema among the suite's remotes" },
  "vocabulary.json | ignore unrecognized optional vocabulary": { code: "IH049", reason: "its $schema is a custom meta-schema among the suite's remotes" },
  ...Object.fromEntries(
    [
      "A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope",
      "A $dynamicRef that initially resolves to a schema without a matching $dynamicAnchor behaves like a normal $ref to $anchor",
      "after leaving a dynamic scope, it is not used by a $dynamicRef",
    ].map((d) => [`dynamicRef.json | ${d}`, { code: "IH040", reason: 'ajv compiles $dynamicRef only as a bare fragment ("#name"), not "other#name"' }]),
  ),
  ...Object.fromEntries(
    ["refs with relative uris and defs", "relative refs with absolute uris and defs", "URN ref with nested pointer ref"].map((d) => [
      `ref.json | ${d}`,
      { code: "IH040", reason: "ajv's compiler recurses without end (Maximum call stack size exceeded) on a $ref beside an $id that points back into its own resource" },
    ]),
  ),
  "unknownKeyword.json | $id inside an unknown keyword is not a real identifier": {
    code: "IH040",
    reason: "ajv collects $id from every key, unknown keywords included, and then finds the same URI naming two schemas",
  },
};

/** Instances the runtime judges otherwise than the suite, by group, with why. */
const divergences: Record<string, { tests: string[]; reason: string }> = {
  ...Object.fromEntries(
    [
      ["A $dynamicRef to a $dynamicAnchor in the same schema resource behaves like a normal $ref to an $anchor", "An array of strings is valid"],
      ["A $dynamicRef to an $anchor in the same schema resource behaves like a normal $ref to an $anchor", "An array of strings is valid"],
      ["A $dynamicRef resolves to the first $dynamicAnchor still in scope that is encountered when the schema is evaluated", "An array of strings is valid"],
      ["A $dynamicRef without anchor in fragment behaves identical to $ref", "An array of numbers is valid"],
      ["A $dynamicRef with intermediate scopes that don't include a matching $dynamicAnchor does not affect dynamic scope resolution", "An array of strings is valid"],
      ["An $anchor with the same name as a $dynamicAnchor is not used for dynamic scope resolution", "Any array is valid"],
      ["A $dynamicRef without a matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor", "Any array is valid"],
      ["A $dynamicRef with a non-matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor", "Any array is valid"],
    ].map(([group, test]) => [`dynamicRef.json | ${group}`, { tests: [test!], reason: "ajv resolves $dynamicRef only to a $dynamicAnchor at the root of a schema resource" }]),
  ),
  "properties.json | properties whose names are Javascript object property names": {
    tests: ["none of the properties mentioned"],
    reason: "ajv's generated code reads `__proto__` through the object's prototype",
  },
  "required.json | required properties whose names are Javascript object property names": {
    tests: ["none of the properties mentioned", "__proto__ present", "toString present", "constructor present"],
    reason: "ajv checks required names with `!== undefined`, which inherited properties (toString, constructor, __proto__) pass",
  },
  "unevaluatedItems.json | unevaluatedItems with nested items": {
    tests: ["with no additional items", "with invalid additional item"],
    reason: "ajv counts items evaluated by a nested `items` differently from the specification",
  },
  "unevaluatedItems.json | unevaluatedItems depends on adjacent contains": { tests: ["contains passes, second item is not evaluated"], reason: "ajv ignores `contains` when tracking evaluated items" },
  "unevaluatedItems.json | unevaluatedItems depends on multiple nested contains": { tests: ["7 not evaluated, fails unevaluatedItems"], reason: "ajv ignores `contains` when tracking evaluated items" },
  "unevaluatedItems.json | unevaluatedItems and contains interact to control item dependency relationship": {
    tests: ["only b's are invalid", "only c's are invalid", "only b's and c's are invalid", "only a's and c's are invalid"],
    reason: "ajv ignores `contains` when tracking evaluated items",
  },
  "unevaluatedProperties.json | unevaluatedProperties with if/then/else, then not defined": {
    tests: ["when if is false and has unevaluated properties"],
    reason: "ajv takes the properties `if` evaluated as evaluated even when `if` fails",
  },
};

const SCHEMA_CODES = new Set(["IH040", "IH047", "IH048", "IH049"]);
const noDevice: HttpTransport & SqlTransport = {
  send: () => Promise.reject(new Error("the suite's handlers make no device calls")),
  query: () => Promise.reject(new Error("the suite's handlers make no device calls")),
};

let base: string;
let dir: string;
let findings: Finding[];

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "ihub-json-schema-suite-"));
  dir = path.join(base, "integrations", "suite");
  await cp(MINIMAL, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, "integration.json"), "utf8")) as { slug: string; handlers: Record<string, unknown> };
  manifest.slug = "suite";
  for (const g of placeable) {
    manifest.handlers[g.handler] = { type: "rpc", file: "handlers/suite.lua", function: g.handler, displayName: g.handler, description: g.key, inputSchema: g.schema };
  }
  await writeFile(path.join(dir, "integration.json"), JSON.stringify(manifest));
  await writeFile(path.join(dir, "handlers", "suite.lua"), `local M = {}\n${placeable.map((g) => `function M.${g.handler}(ctx, input) return { seen = true } end`).join("\n")}\nreturn M\n`);
  findings = (await validateRepo(base)).findings.filter((f) => SCHEMA_CODES.has(f.code));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const groupOf = (f: Finding) => placeable.find((g) => f.pointer?.startsWith(`/handlers/${g.handler}/`));

describe("JSON Schema Test Suite 2020-12 through ihub validate", () => {
  it("accepts every schema but the listed ones, and refuses those with the listed code", () => {
    const errors = findings.filter((f) => f.severity === "error");
    const verdicts = Object.fromEntries(placeable.flatMap((g) => {
      const codes = [...new Set(errors.filter((f) => groupOf(f) === g).map((f) => f.code))];
      return codes.length ? [[g.key, codes]] : [];
    }));
    expect(verdicts).toEqual(Object.fromEntries(Object.entries(refused).map(([key, { code }]) => [key, [code]])));
    expect(errors.every((f) => groupOf(f) !== undefined)).toBe(true);
  });

  it("names each remote document in its finding", () => {
    for (const f of findings.filter((x) => x.code === "IH049")) expect(f.message).toMatch(/localhost:1234|"http:\/\/localhost/);
  });

  it("warns only where the suite itself uses unknown keywords", () => {
    const warnings = findings.filter((f) => f.severity === "warning").map((f) => `${groupOf(f)?.key} ${f.code} ${f.pointer?.replace(/^\/handlers\/suite_\d+\/inputSchema/, "")}`);
    expect(warnings).toEqual([
      "unknownKeyword.json | $id inside an unknown keyword is not a real identifier IH047 /$defs/id_in_unknown0/not/array_of_schemas",
      "unknownKeyword.json | $id inside an unknown keyword is not a real identifier IH047 /$defs/id_in_unknown1/not/object_of_schemas",
    ]);
  });
});

describe("JSON Schema Test Suite 2020-12 through the runtime's input validation", () => {
  it("gives each instance of each accepted schema the suite's verdict, but for the listed divergences", async () => {
    const integration = await loadIntegration(dir);
    const pool = new SandboxPool();
    const storage = memoryStorage();
    const disagreements: Record<string, string[]> = {};
    let instances = 0;
    for (const g of placeable.filter((x) => !Object.hasOwn(refused, x.key))) {
      for (const t of g.tests) {
        instances++;
        const result = await execute({ integration, handler: g.handler, input: t.data, installId: "suite", store: storage.forInstall("suite"), http: noDevice, sql: noDevice, invoke: (req) => pool.invoke(req) });
        if (!result.ok) expect(result.error).toMatchObject({ kind: "validation", code: "INPUT_INVALID" });
        else expect(result.output).toEqual({ seen: true });
        if (result.ok !== t.valid) (disagreements[g.key] ??= []).push(t.description);
      }
    }
    expect(disagreements).toEqual(Object.fromEntries(Object.entries(divergences).map(([key, { tests }]) => [key, tests])));
    const diverging = Object.values(divergences).reduce((n, d) => n + d.tests.length, 0);
    console.info(
      `JSON Schema Test Suite 2020-12: ${placeable.length - Object.keys(refused).length} of ${placeable.length} object schemas accepted; ${instances - diverging} of ${instances} instances agree with the suite`,
    );
  });
});

const FORMATS = path.join(SUITE, "optional", "format");

/** Format cases the runtime judges otherwise than the suite, by file, with why. */
const formatDivergences: Record<string, { tests: string[]; reason: string }> = {
  "email.json": {
    tests: [
      "a quoted string with a space in the local part is valid",
      "a quoted string with a double dot in the local part is valid",
      "a quoted string with a @ in the local part is valid",
      "an IPv4-address-literal after the @ is valid",
      "an IPv6-address-literal after the @ is valid",
    ],
    reason: "ajv-formats checks the common dot-atom form of RFC 5321 addresses, not quoted local parts or address literals",
  },
  "idn-hostname.json": {
    tests: [
      "contains illegal char U+302E Hangul single dot tone mark",
      'U-label contains "--" in the 3rd and 4th position',
      "Exceptions that are DISALLOWED, right-to-left chars",
      "Exceptions that are DISALLOWED, left-to-right chars",
      "MIDDLE DOT with no preceding 'l'",
      "MIDDLE DOT with nothing preceding",
      "MIDDLE DOT with no following 'l'",
      "MIDDLE DOT with nothing following",
      "Greek KERAIA not followed by Greek",
      "Greek KERAIA not followed by anything",
      "Hebrew GERESH not preceded by anything",
      "Hebrew GERSHAYIM not preceded by anything",
      "KATAKANA MIDDLE DOT with no Hiragana, Katakana, or Han",
      "KATAKANA MIDDLE DOT with no other characters",
    ],
    reason: "UTS #46 (Node's mapping) does not apply IDNA2008's disallowed code points and contextual rules",
  },
  "iri-reference.json": { tests: ["an invalid IRI Reference", "an invalid IRI fragment"], reason: "ajv-formats-draft2019 checks an IRI reference's scheme only, so backslashes pass" },
  "iri.json": {
    tests: ["a valid IRI with anchor tag", "a valid IRI with anchor tag and parentheses", "an invalid IRI based on IPv6"],
    reason: "ajv-formats-draft2019 refuses an IRI with a fragment (its parser calls that a reference) and accepts an IPv6 host without brackets",
  },
};

describe("JSON Schema Test Suite 2020-12 formats through the runtime's validation", () => {
  it("judges each format case as the suite does, but for the listed divergences", () => {
    const disagreements: Record<string, string[]> = {};
    let cases = 0;
    for (const file of readdirSync(FORMATS).sort()) {
      for (const g of JSON.parse(readFileSync(path.join(FORMATS, file), "utf8")) as { schema: object; tests: SuiteTest[] }[]) {
        const validate = compiledSchema(g.schema);
        for (const t of g.tests) {
          cases++;
          if (validate(t.data) !== t.valid) (disagreements[file] ??= []).push(t.description);
        }
      }
    }
    expect(disagreements).toEqual(Object.fromEntries(Object.entries(formatDivergences).map(([file, { tests }]) => [file, tests])));
    const diverging = Object.values(formatDivergences).reduce((n, d) => n + d.tests.length, 0);
    console.info(`JSON Schema Test Suite 2020-12 formats: ${cases - diverging} of ${cases} cases agree with the suite`);
  });
});
