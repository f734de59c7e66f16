import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderSchemas } from "./generate.js";
import { schemasDir } from "./write.js";

describe("schemas/", () => {
  it("matches the zod definitions (run `npm run schemas` after changing them)", async () => {
    for (const [file, text] of Object.entries(renderSchemas())) {
      expect(await readFile(schemasDir + file, "utf8"), file).toBe(text);
    }
  });

  it("documents every manifest property for editor tooltips", () => {
    const schema = JSON.parse(renderSchemas()["integration.schema.json"]);
    const missing: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      for (const [key, child] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
        if (!(child as Record<string, unknown>).description) missing.push(`${at}/${key}`);
        walk(child, `${at}/${key}`);
      }
      if (n.additionalProperties && typeof n.additionalProperties === "object") walk(n.additionalProperties, `${at}/*`);
    };
    walk(schema, "");
    expect(missing).toEqual([]);
  });
});
