/**
 * Compares two JSON Schemas (2020-12) and lists what changed in the set of values they allow,
 * each change with a JSON pointer. Pure: no I/O.
 *
 * A change is classified by its effect (narrowed, widened, field removed or added, or changed in
 * a way not analysed); `levelOf` turns an effect into a bump level for the direction data flows:
 * - "input": values come from outside and are validated against the schema (handler input,
 *   install config, credentials, stored container records). Narrowing rejects values that were
 *   valid, so it breaks; widening adds.
 * - "output": values go to consumers (rpc output). Widening hands consumers values they never
 *   saw, so it breaks; narrowing is safe.
 * Removing a field is breaking in both directions: callers send it or read it.
 *
 * Analysed keywords: type, enum, const, properties, required, additionalProperties, items,
 * $defs/definitions, numeric/length/count bounds, pattern, format, multipleOf, uniqueItems.
 * Annotations (title, description, examples, default, ...) never matter. Any other keyword
 * that differs (oneOf, $ref, if/then/else, ...) is reported as "changed", which is breaking:
 * the diff cannot prove it compatible.
 */
import { joinPointer } from "../json/json-pointer.js";

/** How far a contract change reaches: a major one breaks what relied on the old contract, a minor one adds to it. */
export type ContractLevel = "major" | "minor";
export type SchemaDirection = "input" | "output";
export type ChangeEffect = "narrowed" | "widened" | "removed-field" | "added-required-field" | "added-optional-field" | "changed";
export type SchemaChange = { pointer: string; effect: ChangeEffect; message: string };

const LEVELS: Record<SchemaDirection, Record<ChangeEffect, ContractLevel>> = {
  input: { narrowed: "major", widened: "minor", "removed-field": "major", "added-required-field": "major", "added-optional-field": "minor", changed: "major" },
  output: { narrowed: "minor", widened: "major", "removed-field": "major", "added-required-field": "minor", "added-optional-field": "minor", changed: "major" },
};

export function levelOf(effect: ChangeEffect, direction: SchemaDirection): ContractLevel {
  return LEVELS[direction][effect];
}

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["title", "description", "examples", "default", "$comment", "deprecated", "readOnly", "writeOnly", "$schema", "$id", "$anchor", "contentMediaType", "contentEncoding"]);
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const;
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const;
const ADDED_NARROWS = ["pattern", "format", "multipleOf"] as const;
const HANDLED = new Set<string>([
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "$defs",
  "definitions",
  "uniqueItems",
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  ...ADDED_NARROWS,
]);
const ALL_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];

const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => JSON.stringify(v);

/** `true`/absent allow everything; `false` allows nothing (modelled as `not: {}`). */
function asSchema(s: unknown): Schema {
  if (s === false) return { not: {} };
  return isObject(s) ? s : {};
}

function typeList(s: Schema): string[] | null {
  if (typeof s.type === "string") return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === "string");
  return null;
}

/** Whether a type list allows JSON values of type `t` (integers are numbers). */
function allows(types: string[] | null, t: string): boolean {
  return types === null || types.includes(t) || (t === "integer" && types.includes("number"));
}

function diffTypes(b: Schema, h: Schema, p: string, out: SchemaChange[]): void {
  const bt = typeList(b);
  const ht = typeList(h);
  const lost = (bt ?? ALL_TYPES).filter((t) => !allows(ht, t));
  const gained = (ht ?? ALL_TYPES).filter((t) => !allows(bt, t));
  if (lost.length) out.push({ pointer: `${p}/type`, effect: "narrowed", message: `type narrowed: ${lost.join(", ")} no longer allowed` });
  if (gained.length) out.push({ pointer: `${p}/type`, effect: "widened", message: `type widened: ${gained.join(", ")} now allowed` });
}

function diffEnum(b: Schema, h: Schema, p: string, out: SchemaChange[]): void {
  const pointer = `${p}/enum`;
  const be = Array.isArray(b.enum) ? b.enum : null;
  const he = Array.isArray(h.enum) ? h.enum : null;
  if (!be && he) out.push({ pointer, effect: "narrowed", message: `enum added: only ${he.map(show).join(", ")} allowed` });
  else if (be && !he) out.push({ pointer, effect: "widened", message: "enum removed: any value allowed" });
  else if (be && he) {
    const removed = be.filter((v) => !he.some((w) => same(v, w)));
    const added = he.filter((v) => !be.some((w) => same(v, w)));
    if (removed.length) out.push({ pointer, effect: "narrowed", message: `enum values removed: ${removed.map(show).join(", ")}` });
    if (added.length) out.push({ pointer, effect: "widened", message: `enum values added: ${added.map(show).join(", ")}` });
  }
  if (!("const" in b) && "const" in h) out.push({ pointer: `${p}/const`, effect: "narrowed", message: `const added: only ${show(h.const)} allowed` });
  else if ("const" in b && !("const" in h)) out.push({ pointer: `${p}/const`, effect: "widened", message: "const removed" });
  else if ("const" in b && !same(b.const, h.const)) out.push({ pointer: `${p}/const`, effect: "changed", message: `const changed from ${show(b.const)} to ${show(h.const)}` });
}

function diffBounds(b: Schema, h: Schema, p: string, out: SchemaChange[]): void {
  const bound = (key: string, tighter: (bv: number, hv: number) => boolean) => {
    const bv = b[key];
    const hv = h[key];
    if (same(bv, hv)) return;
    const pointer = `${p}/${key}`;
    if (bv === undefined) out.push({ pointer, effect: "narrowed", message: `${key} ${show(hv)} added` });
    else if (hv === undefined) out.push({ pointer, effect: "widened", message: `${key} ${show(bv)} removed` });
    else if (typeof bv !== "number" || typeof hv !== "number") out.push({ pointer, effect: "changed", message: `${key} changed from ${show(bv)} to ${show(hv)}` });
    else if (tighter(bv, hv)) out.push({ pointer, effect: "narrowed", message: `${key} tightened from ${bv} to ${hv}` });
    else out.push({ pointer, effect: "widened", message: `${key} relaxed from ${bv} to ${hv}` });
  };
  for (const key of LOWER_BOUNDS) bound(key, (bv, hv) => hv > bv);
  for (const key of UPPER_BOUNDS) bound(key, (bv, hv) => hv < bv);
  for (const key of ADDED_NARROWS) {
    if (same(b[key], h[key])) continue;
    const pointer = `${p}/${key}`;
    if (b[key] === undefined) out.push({ pointer, effect: "narrowed", message: `${key} ${show(h[key])} added` });
    else if (h[key] === undefined) out.push({ pointer, effect: "widened", message: `${key} ${show(b[key])} removed` });
    else out.push({ pointer, effect: "changed", message: `${key} changed from ${show(b[key])} to ${show(h[key])}` });
  }
  if (b.uniqueItems !== true && h.uniqueItems === true) out.push({ pointer: `${p}/uniqueItems`, effect: "narrowed", message: "uniqueItems added" });
  if (b.uniqueItems === true && h.uniqueItems !== true) out.push({ pointer: `${p}/uniqueItems`, effect: "widened", message: "uniqueItems removed" });
}

function diffProperties(b: Schema, h: Schema, p: string, out: SchemaChange[]): void {
  const bp = isObject(b.properties) ? b.properties : {};
  const hp = isObject(h.properties) ? h.properties : {};
  const names = (s: Schema) => new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === "string") : []);
  const breq = names(b);
  const hreq = names(h);
  for (const name of Object.keys(bp)) {
    const pointer = joinPointer(p, "properties", name);
    if (!(name in hp)) out.push({ pointer, effect: "removed-field", message: `field "${name}" removed` });
    else diffNode(bp[name], hp[name], pointer, out);
  }
  for (const name of Object.keys(hp)) {
    if (name in bp) continue;
    const required = hreq.has(name);
    out.push({
      pointer: joinPointer(p, "properties", name),
      effect: required ? "added-required-field" : "added-optional-field",
      message: `${required ? "required" : "optional"} field "${name}" added`,
    });
  }
  for (const name of hreq) {
    if (breq.has(name) || (name in hp && !(name in bp))) continue;
    out.push({ pointer: name in hp ? joinPointer(p, "properties", name) : `${p}/required`, effect: "narrowed", message: `field "${name}" made required` });
  }
  for (const name of breq) {
    if (hreq.has(name) || (name in bp && !(name in hp))) continue;
    out.push({ pointer: name in hp ? joinPointer(p, "properties", name) : `${p}/required`, effect: "widened", message: `field "${name}" made optional` });
  }

  const bap = b.additionalProperties;
  const hap = h.additionalProperties;
  if (bap !== false && hap === false) out.push({ pointer: `${p}/additionalProperties`, effect: "narrowed", message: "additionalProperties closed: unknown fields now rejected" });
  else if (bap === false && hap !== false) out.push({ pointer: `${p}/additionalProperties`, effect: "widened", message: "additionalProperties opened: unknown fields now allowed" });
  else if (bap !== false && hap !== false) diffNode(bap, hap, `${p}/additionalProperties`, out);
}

function diffSubschemas(b: Schema, h: Schema, p: string, out: SchemaChange[]): void {
  if (Array.isArray(b.items) || Array.isArray(h.items)) {
    if (!same(b.items, h.items)) out.push({ pointer: `${p}/items`, effect: "changed", message: "tuple items changed" });
  } else {
    diffNode(b.items, h.items, `${p}/items`, out);
  }
  for (const key of ["$defs", "definitions"] as const) {
    const bd = isObject(b[key]) ? b[key] : {};
    const hd = isObject(h[key]) ? h[key] : {};
    // Added or removed definitions only matter through a $ref, and a changed $ref is reported itself.
    for (const name of Object.keys(bd)) if (name in hd) diffNode(bd[name], hd[name], joinPointer(p, key, name), out);
  }
}

function diffOthers(b: Schema, h: Schema, p: string, out: SchemaChange[]): void {
  const keys = new Set([...Object.keys(b), ...Object.keys(h)]);
  for (const key of [...keys].sort()) {
    if (HANDLED.has(key) || ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
    if (!same(b[key], h[key])) out.push({ pointer: joinPointer(p, key), effect: "changed", message: `"${key}" changed; not analysed, so treated as breaking` });
  }
}

function diffNode(base: unknown, head: unknown, p: string, out: SchemaChange[]): void {
  if (same(base, head)) return;
  const b = asSchema(base);
  const h = asSchema(head);
  diffTypes(b, h, p, out);
  diffEnum(b, h, p, out);
  diffBounds(b, h, p, out);
  diffProperties(b, h, p, out);
  diffSubschemas(b, h, p, out);
  diffOthers(b, h, p, out);
}

/**
 * Changes from `base` to `head`, with pointers below `pointer`. An absent schema (undefined) is
 * read as `implicit`: the manifest's config, input and container schemas all describe objects,
 * so their implicit schema is `{ type: "object" }` and adding a schema of optional fields is an
 * addition, not a narrowing.
 */
export function diffSchemas(base: unknown, head: unknown, pointer: string, implicit: Schema = {}): SchemaChange[] {
  const out: SchemaChange[] = [];
  diffNode(base === undefined ? implicit : base, head === undefined ? implicit : head, pointer, out);
  return out;
}
