/**
 * The embedded-schema check through `ihub validate` on a real integration folder: real-world
 * annotations pass, real errors stay errors, and hostile schemas give typed findings at their
 * pointers, never an internal error.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { validateRepo } from "../validate-repo.js";

const MINIMAL = fileURLToPath(new URL("../../../test-fixtures/validate/minimal/integrations/minimal/", import.meta.url));
const temps: string[] = [];

afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

/** The findings of a minimal integration whose configSchema is `schema`, as [code, pointer, message]. */
async function findingsFor(schema: unknown, authFields?: unknown): Promise<[string, string | null, string][]> {
  const root = await mkdtemp(path.join(tmpdir(), "ihub-embedded-schema-"));
  temps.push(root);
  const dir = path.join(root, "integrations", "minimal");
  await cp(MINIMAL, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, "integration.json"), "utf8")) as Record<string, unknown>;
  manifest.configSchema = schema;
  if (authFields) manifest.auth = { type: "api_key", authHeaderName: "X-Key", fields: authFields };
  await writeFile(path.join(dir, "integration.json"), JSON.stringify(manifest, null, 2));
  // The minimal handler reads no config, so the code-vs-configSchema checks (IH104-IH107) would
  // report each property; this test is about the schema itself.
  const codeChecks = new Set(["IH104", "IH105", "IH106", "IH107"]);
  return (await validateRepo(root, { workers: 0 })).findings.filter((f) => !codeChecks.has(f.code)).map((f) => [f.code, f.pointer, f.message]);
}

describe("embedded schemas in a manifest", () => {
  it("accepts the annotations and formats real manifests carry, warning only about formats nobody validates", async () => {
    const schema = {
      type: "object",
      required: ["upload"],
      properties: {
        upload: { type: "string", format: "file", label: "Upload", help_text: "A CSV export.", placeholder: "export.csv", "x-accept": ".csv" },
        notes: { type: "string", format: "text", widget: "textarea", order: 2 },
        contact: { type: "string", format: "idn-email" },
      },
    };
    expect(await findingsFor(schema, { type: "object", properties: { key: { type: "string", format: "password", label: "API key" } } })).toEqual([
      ["IH048", "/configSchema/properties/upload/format", expect.stringContaining('unknown format "file"')],
      ["IH048", "/configSchema/properties/notes/format", expect.stringContaining('unknown format "text"')],
    ]);
  });

  it("keeps real errors errors: required: true inside a property", async () => {
    expect(await findingsFor({ type: "object", properties: { a: { type: "string", required: true } } })).toEqual([
      ["IH040", "/configSchema/properties/a/required", expect.stringContaining("must be array")],
    ]);
  });

  it.each([
    ["a $schema that is no string", { $schema: 5, type: "object" }, [["IH040", "/configSchema/$schema"]]],
    ["a $schema naming another meta-schema", { $schema: "http://json-schema.org/draft-07/schema#", type: "object" }, [["IH049", "/configSchema/$schema"]]],
    ["a $schema that is no URI", { $schema: "::not a uri::", type: "object" }, [["IH049", "/configSchema/$schema"]]],
    ["a $ref that is no URI", { properties: { a: { $ref: "http://[bad" } } }, [["IH040", "/configSchema/properties/a/$ref"]]],
    ["an $id that is no URI", { $id: "http://[bad", properties: { a: { $ref: "#/$defs/a" } }, $defs: { a: { type: "string" } } }, [["IH040", "/configSchema/$id"]]],
    ["a $ref to an anchor that is not there", { $id: "urn:x", properties: { a: { $ref: "#nothing" } } }, [["IH040", "/configSchema/properties/a/$ref"]]],
    ["a $dynamicRef the runtime cannot compile", { $id: "http://example.com/a", $defs: { b: { $id: "b", $dynamicAnchor: "x", type: "string" } }, properties: { a: { $dynamicRef: "b#x" } } }, [["IH040", "/configSchema"]]],
    ["a remote $ref under a relative $id", { $id: "http://example.com/dir/", properties: { a: { $ref: "sibling.json" } } }, [["IH049", "/configSchema/properties/a/$ref"]]],
    ["a $ref loop through $defs", { $defs: { a: { $ref: "#/$defs/b" }, b: { allOf: [{ $ref: "#/$defs/a" }] } }, properties: { x: { $ref: "#/$defs/a" } } }, [["IH040", "/configSchema/$defs/b/allOf/0/$ref"]]],
    ["a root $ref to itself", { $ref: "#" }, [["IH040", "/configSchema/$ref"]]],
    ["recursion through properties, which ends", { type: "object", properties: { child: { $ref: "#" } } }, []],
    ["keywords that shadow Object.prototype", { properties: { a: { constructor: 1, __proto__: null, toString: "x" } } }, [["IH047", "/configSchema/properties/a/constructor"], ["IH047", "/configSchema/properties/a/toString"]]],
  ])("reports %s as a typed finding", async (_, schema, expected) => {
    const findings = await findingsFor(schema);
    expect(findings.map(([code, pointer]) => [code, pointer])).toEqual(expected);
    for (const [, , message] of findings) expect(message).not.toMatch(/internal|TypeError|RangeError/);
  });
});
