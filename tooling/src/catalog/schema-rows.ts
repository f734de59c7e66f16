/**
 * Renders an embedded JSON Schema as table rows and assembles an example value from it. Only
 * the shapes people write by hand are followed (properties, items, $ref into $defs/definitions);
 * anything else becomes one row with its type in words, so a strange schema never breaks a page.
 */
import type { FieldRow } from "./catalog-schema.js";

type Schema = Record<string, unknown>;

const MAX_DEPTH = 4;

const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

function resolveRef(node: Schema, root: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const target = m ? (root[m[1]!] as Schema | undefined)?.[decodeURIComponent(m[2]!)] : undefined;
  return isObject(target) ? { ...target, ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== "$ref")) } : node;
}

export function typeInWords(node: Schema, root: Schema = node): string {
  const n = resolveRef(node, root);
  if (Array.isArray(n.type)) return n.type.map(String).join(" | ");
  if (n.type === "array") return isObject(n.items) ? `array of ${typeInWords(n.items, root)}` : "array";
  if (typeof n.type === "string") return n.type;
  if (n.const !== undefined) return typeof n.const;
  if (Array.isArray(n.enum)) return [...new Set(n.enum.map((v) => (v === null ? "null" : typeof v)))].join(" | ");
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(n[key])) return (n[key] as unknown[]).filter(isObject).map((s) => typeInWords(s, root)).join(" | ");
  }
  if (isObject(n.properties)) return "object";
  return "any";
}

function row(name: string, node: Schema, root: Schema, required: boolean, secretAware: boolean): FieldRow {
  const n = resolveRef(node, root);
  const out: FieldRow = { name, type: typeInWords(n, root), required };
  if (typeof n.description === "string") out.description = n.description;
  else if (typeof n.title === "string") out.description = n.title;
  // UI hints real manifests carry (see @ihub/runtime/json-schema's annotation keywords).
  if (typeof n.label === "string") out.label = n.label;
  if (typeof n.help_text === "string") out.helpText = n.help_text;
  if (n.default !== undefined) out.default = n.default;
  if (Array.isArray(n.enum)) out.enum = n.enum;
  else if (n.const !== undefined) out.enum = [n.const];
  if (typeof n.format === "string") out.format = n.format;
  if (secretAware) out.secret = n.format === "password" || n.writeOnly === true;
  return out;
}

function walk(node: Schema, root: Schema, prefix: string, rows: FieldRow[], depth: number, secretAware: boolean): void {
  const n = resolveRef(node, root);
  const props = isObject(n.properties) ? n.properties : null;
  if (props) {
    const required = new Set(Array.isArray(n.required) ? n.required.map(String) : []);
    for (const [key, child] of Object.entries(props)) {
      if (!isObject(child)) continue;
      const name = prefix ? `${prefix}.${key}` : key;
      rows.push(row(name, child, root, required.has(key), secretAware));
      if (depth < MAX_DEPTH) walk(child, root, name, rows, depth + 1, secretAware);
    }
    return;
  }
  const items = resolveRef(isObject(n.items) ? n.items : {}, root);
  if (n.type === "array" && isObject(items.properties) && depth < MAX_DEPTH) walk(items, root, `${prefix}[]`, rows, depth + 1, secretAware);
}

/**
 * Table rows of a schema: one per property, nested properties dotted. A schema without
 * properties (e.g. a bare `string`) becomes a single row named `(value)`.
 */
export function schemaRows(schema: unknown, opts: { secrets?: boolean } = {}): FieldRow[] {
  if (!isObject(schema)) return [];
  const rows: FieldRow[] = [];
  walk(schema, schema, "", rows, 0, opts.secrets ?? false);
  if (rows.length === 0 && (schema.type !== undefined || schema.$ref !== undefined) && schema.type !== "object") {
    rows.push(row("(value)", schema, schema, true, opts.secrets ?? false));
  }
  return rows;
}

/**
 * An example value from a schema: its `examples[0]`/`example`, else built from the properties'
 * examples, defaults, first enum values and consts. Undefined when the schema says nothing.
 */
export function exampleFromSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!isObject(schema) || !isObject(root) || depth > MAX_DEPTH) return undefined;
  const n = resolveRef(schema, root);
  if (Array.isArray(n.examples) && n.examples.length > 0) return n.examples[0];
  if (n.example !== undefined) return n.example;
  if (n.default !== undefined) return n.default;
  if (n.const !== undefined) return n.const;
  if (Array.isArray(n.enum) && n.enum.length > 0) return n.enum[0];
  if (isObject(n.properties)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(n.properties)) {
      const value = exampleFromSchema(child, root, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (n.type === "array") {
    const item = exampleFromSchema(n.items, root, depth + 1);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}
