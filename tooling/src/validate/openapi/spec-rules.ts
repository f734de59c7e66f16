/**
 * What the OpenAPI Specification requires beyond its JSON Schema, as the reference validator
 * (openapi-spec-validator) checks it: every `$ref` resolves, operationIds are unique, every
 * `{name}` of a path is declared as a path parameter of each operation (and no undeclared one is),
 * no parameter is listed twice, tag names are unique (3.2: a tag's parent exists). The walk follows
 * `$ref`s across the files of the set, so each finding names the file and pointer where the
 * offending text is.
 */
import type { OpenApiVersion } from "../ajv/definitions.js";
import { refTarget, valueAt, type DocumentSet, type Place } from "./document-set.js";

export type SpecFinding = Place & { message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const escapeToken = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const child = (place: Place, ...tokens: (string | number)[]) => ({ file: place.file, pointer: place.pointer + tokens.map((t) => "/" + escapeToken(String(t))).join("") });

const OPERATIONS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
/** Reference chains longer than this are a loop or an attack; real documents use two or three hops. */
const MAX_HOPS = 32;

type Located = { value: unknown; place: Place };

/** A node with its `$ref` chain followed across the set: the node reached, or why it was not. */
function followRefs(set: DocumentSet, node: Located): Located | "unresolved" | "loop" {
  let current = node;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const ref = isRecord(current.value) ? current.value.$ref : undefined;
    if (typeof ref !== "string") return current;
    const target = refTarget(ref, current.place.file);
    const file = target ? set.files.get(target.file) : undefined;
    const got = target && file ? valueAt(file.value, target.pointer) : ({ found: false } as const);
    if (!target || !got.found) return "unresolved";
    current = { value: got.value, place: target };
  }
  return "loop";
}

export function specFindings(set: DocumentSet, version: OpenApiVersion): SpecFinding[] {
  const findings: SpecFinding[] = [];
  const report = (place: Place, message: string) => findings.push({ ...place, message });
  const valueOf = (place: Place) => {
    const file = set.files.get(place.file);
    return file ? valueAt(file.value, place.pointer) : ({ found: false } as const);
  };

  /** null when the chain does not resolve (reported by the walk over every `$ref`) or loops (reported here). */
  const follow = (node: Located): Located | null => {
    const got = followRefs(set, node);
    if (got === "loop") report(node.place, `$ref chain is longer than ${MAX_HOPS} hops or loops`);
    return typeof got === "string" ? null : got;
  };

  // Every reference in every file resolves (a missing file was refused while loading).
  for (const [file, parsed] of set.files) {
    const walk = (value: unknown, pointer: string) => {
      if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${pointer}/${i}`));
      if (!isRecord(value)) return;
      if (typeof value.$ref === "string") {
        const target = refTarget(value.$ref, file);
        if (!target || !valueOf(target).found) report({ file, pointer: `${pointer}/$ref` }, `$ref ${JSON.stringify(value.$ref.slice(0, 200))} does not resolve to anything in the document${target && target.file !== file ? ` (looked in ${target.file})` : ""}`);
      }
      for (const [key, v] of Object.entries(value)) walk(v, `${pointer}/${escapeToken(key)}`);
    };
    walk(parsed.value, "");
  }

  const parameters = (list: Located | null): { name: string; in: string; place: Place }[] => {
    if (!list || !Array.isArray(list.value)) return [];
    const out: { name: string; in: string; place: Place }[] = [];
    const seen = new Set<string>();
    list.value.forEach((entry, i) => {
      const param = follow({ value: entry, place: child(list.place, i) });
      if (!param || !isRecord(param.value) || typeof param.value.name !== "string" || typeof param.value.in !== "string") return;
      const key = `${param.value.in}\0${param.value.name}`;
      if (seen.has(key)) report(child(list.place, i), `parameter "${param.value.name}" in ${param.value.in} is listed twice`);
      seen.add(key);
      out.push({ name: param.value.name, in: param.value.in, place: child(list.place, i) });
    });
    return out;
  };

  const operationIds = new Map<string, Place>();
  const rootValue = set.files.get(set.root)!.value;
  const paths = isRecord(rootValue) && isRecord(rootValue.paths) ? rootValue.paths : {};
  for (const [template, rawItem] of Object.entries(paths)) {
    if (!template.startsWith("/")) continue;
    const item = follow({ value: rawItem, place: { file: set.root, pointer: `/paths/${escapeToken(template)}` } });
    if (!item || !isRecord(item.value)) continue;
    const itemValue = item.value;
    const shared = parameters({ value: itemValue.parameters, place: child(item.place, "parameters") });
    const operations: [string, Located][] = OPERATIONS.filter((m) => isRecord(itemValue[m])).map((m) => [m, { value: itemValue[m], place: child(item.place, m) }]);
    if (version === "3.2") {
      if (isRecord(itemValue.query)) operations.push(["query", { value: itemValue.query, place: child(item.place, "query") }]);
      if (isRecord(itemValue.additionalOperations)) {
        for (const [method, op] of Object.entries(itemValue.additionalOperations)) operations.push([method, { value: op, place: child(item.place, "additionalOperations", method) }]);
      }
    }
    const inTemplate = new Set([...template.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!));
    for (const [method, op] of operations) {
      if (!isRecord(op.value)) continue;
      const id = op.value.operationId;
      if (typeof id === "string") {
        const first = operationIds.get(id);
        if (first) report(child(op.place, "operationId"), `operationId "${id}" of ${method.toUpperCase()} ${template} is not unique: ${first.file}#${first.pointer} has it too`);
        else operationIds.set(id, child(op.place, "operationId"));
      }
      const own = parameters({ value: op.value.parameters, place: child(op.place, "parameters") });
      const declared = new Set([...shared, ...own].filter((p) => p.in === "path").map((p) => p.name));
      for (const name of [...inTemplate].sort()) {
        if (!declared.has(name)) report(op.place, `path parameter "${name}" of ${method.toUpperCase()} ${template} is not declared in its parameters`);
      }
      for (const name of [...declared].sort()) {
        if (!inTemplate.has(name)) report(op.place, `${method.toUpperCase()} ${template} declares path parameter "${name}", which the path does not contain`);
      }
    }
  }

  const tags = isRecord(rootValue) && Array.isArray(rootValue.tags) ? rootValue.tags : [];
  const tagNames = new Set<string>();
  tags.forEach((tag, i) => {
    if (!isRecord(tag) || typeof tag.name !== "string") return;
    if (tagNames.has(tag.name)) report({ file: set.root, pointer: `/tags/${i}/name` }, `tag "${tag.name}" is declared twice`);
    tagNames.add(tag.name);
  });
  if (version === "3.2") {
    tags.forEach((tag, i) => {
      if (isRecord(tag) && typeof tag.parent === "string" && !tagNames.has(tag.parent)) report({ file: set.root, pointer: `/tags/${i}/parent` }, `tag "${String(tag.name)}" names parent "${tag.parent}", which is no tag`);
    });
  }
  return findings;
}

/** The root document with each path item's `$ref` followed, for reading its operations. */
export function withResolvedPaths(set: DocumentSet): unknown {
  const rootValue = set.files.get(set.root)!.value;
  if (!isRecord(rootValue) || !isRecord(rootValue.paths)) return rootValue;
  const paths: Record<string, unknown> = {};
  for (const [template, item] of Object.entries(rootValue.paths)) {
    const got = followRefs(set, { value: item, place: { file: set.root, pointer: `/paths/${escapeToken(template)}` } });
    paths[template] = typeof got === "string" ? item : got.value;
  }
  return { ...rootValue, paths };
}
