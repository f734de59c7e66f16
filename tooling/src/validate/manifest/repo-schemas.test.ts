import { describe, expect, it } from "vitest";
import { repoSchemaValidator } from "./repo-schemas.js";

describe("repoSchemaValidator", () => {
  it("compiles each repository schema once per process and hands out the same validator after", () => {
    const manifest = repoSchemaValidator("integration.schema.json");
    expect(repoSchemaValidator("integration.schema.json")).toBe(manifest);
    expect(repoSchemaValidator("integration-test.schema.json")).toBe(repoSchemaValidator("integration-test.schema.json"));
    expect(repoSchemaValidator("integration-test.schema.json")).not.toBe(manifest);
  });
});
