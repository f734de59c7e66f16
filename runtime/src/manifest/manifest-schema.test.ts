/**
 * The generated manifest schema (schemas/integration.schema.json) against the product's contract:
 * every field the design names is there, with the values it lists, and every object whose keys
 * are fixed refuses unknown ones so a typo is a finding.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Node = { properties?: Record<string, Node>; additionalProperties?: Node | boolean; enum?: unknown[]; type?: string; anyOf?: Node[] };
const schema = JSON.parse(readFileSync(new URL("../../../schemas/integration.schema.json", import.meta.url), "utf8")) as Node;

/** The node at a dotted path; `*` steps into a record's values. */
function at(dotted: string): Node | undefined {
  let node: Node | undefined = schema;
  for (const part of dotted.split(".")) {
    if (!node) return undefined;
    node = part === "*" ? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined) : node.properties?.[part];
  }
  return node;
}

/** Every field of the design's "Manifest fields" list (../shared/DESIGN.md), by path. */
const DESIGN_FIELDS = [
  "slug", "name", "description", "version", "publisher", "trustTier", "visibility", "categories", "icon", "retentionTier",
  "deprecated.message", "deprecated.replacement",
  "auth.type", "auth.fields", "auth.scopes", "auth.authHeaderName", "auth.authValuePrefix", "auth.oauth2.authorizationUrl", "auth.oauth2.tokenUrl",
  "auth.provider", "billing", "connectedAccount", "connectedAccount.handler",
  "configSchema",
  "resources.*.kind", "resources.*.description", "resources.*.openapi", "resources.*.dialect",
  "permissions.device", "permissions.cache", "permissions.containers", "permissions.events.emit", "permissions.tenantApis",
  "dataContainerSchemas",
  "handlers.*.type", "handlers.*.file", "handlers.*.function", "handlers.*.description", "handlers.*.displayName", "handlers.*.inputSchema",
  "handlers.*.outputSchema", "handlers.*.schedule", "handlers.*.event", "handlers.*.timeoutMs",
  "dependencies.modules", "dependencies.integrations",
];

const DESIGN_VALUES: Record<string, string[]> = {
  trustTier: ["first_party", "vendor_official", "verified_partner", "verified_publisher", "community"],
  visibility: ["private", "public", "unlisted"],
  retentionTier: ["short", "medium", "long", "none"],
  "auth.type": ["none", "api_key", "bearer_token", "oauth2", "basic"],
  "resources.*.kind": ["http", "sql"],
  "handlers.*.type": ["rpc", "timer", "event"],
  "auth.provider": ["github", "slack", "google", "microsoft", "atlassian", "hubspot", "salesforce", "gitlab", "zoom"],
};

describe("schemas/integration.schema.json", () => {
  it.each(DESIGN_FIELDS)("has %s, described", (field) => {
    const node = at(field);
    expect(node, field).toBeDefined();
    expect((node as { description?: string }).description, field).toMatch(/\w/);
  });

  it.each(Object.entries(DESIGN_VALUES))("allows exactly the design's values for %s", (field, values) => {
    expect(at(field)?.enum).toEqual(values);
  });

  it("refuses unknown keys in every object with fixed keys (embedded JSON Schemas and maps excepted)", () => {
    const open: string[] = [];
    const walk = (node: Node, where: string) => {
      if (node.properties) {
        if (node.additionalProperties !== false) open.push(where || "/");
        for (const [k, child] of Object.entries(node.properties)) walk(child, `${where}/${k}`);
      }
      if (typeof node.additionalProperties === "object") walk(node.additionalProperties, `${where}/*`);
      for (const alt of node.anyOf ?? []) walk(alt, where);
    };
    walk(schema, "");
    expect(open).toEqual([]);
  });
});
