/** Renders the JSON Schema files in `schemas/` from their zod definitions (the single source of truth). */
import { z } from "zod";
import { manifestSchema, moduleSchema } from "@ihub/runtime/manifest";
import { testCaseSchema } from "../harness/test-case-schema.js";
import { catalogFilesSchema } from "../catalog/catalog-schema.js";

export const SCHEMA_BASE_URL = "urn:ihub:schemas:";

const sources = {
  "integration.schema.json": { schema: manifestSchema, title: "Integration manifest" },
  "integration-test.schema.json": { schema: testCaseSchema, title: "Integration test case" },
  "module.schema.json": { schema: moduleSchema, title: "Shared Lua module" },
  "catalog.schema.json": { schema: catalogFilesSchema, title: "Catalog (catalog.json and catalog/<slug>.json)" },
} as const;

export type SchemaFile = keyof typeof sources;

export function renderSchemas(): Record<SchemaFile, string> {
  const out = {} as Record<SchemaFile, string>;
  for (const [file, { schema, title }] of Object.entries(sources) as [SchemaFile, (typeof sources)[SchemaFile]][]) {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" });
    out[file] = JSON.stringify({ $id: SCHEMA_BASE_URL + file, title, ...json }, null, 2) + "\n";
  }
  return out;
}
