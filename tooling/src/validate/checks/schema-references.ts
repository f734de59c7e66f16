/**
 * Where each `$ref` and `$dynamicRef` of an embedded schema points, resolved as JSON Schema
 * 2020-12 resolves it: against the base URI set by the nearest enclosing `$id`, to a schema
 * resource of the same document (the root, or any subschema with an `$id`), then to the resource
 * itself, a JSON pointer inside it, or an `$anchor`/`$dynamicAnchor` it declares. The WHATWG URL
 * parser does the URI resolution (relative paths, absolute URIs, URNs alike). Only subschemas are
 * searched: an `$id` or `$anchor` inside an unknown keyword, `enum` or `const` is data.
 *
 * A reference to no resource of the document leaves the schema: either to the 2020-12
 * meta-schema (or one of its vocabularies), which every validator here carries, or to a document
 * a bundle does not contain.
 */
import { toPointer } from "@ihub/runtime/json";
import { forEachSubschema, isSchemaObject } from "./subschemas.js";

/** The base URI of a document without `$id`: hierarchical, so a relative reference (`other.json`) resolves, to a resource that is not here. */
const DOCUMENT_BASE = "embedded-schema:/schema.json";
const META_SCHEMAS = "https://json-schema.org/draft/2020-12/";

export type ReferenceTarget =
  /** A resource, pointer or anchor of this schema. */
  | "local"
  /** The 2020-12 meta-schema or one of its vocabulary schemas. */
  | "meta-schema"
  /** A resource of this schema, but no such pointer or anchor in it. */
  | "missing"
  /** Another document. */
  | "remote"
  /** Not a URI reference at all. */
  | "invalid";

/** A reference, or an `$id` (whose only possible target is "invalid": one that is no URI reference, which leaves the base as it was). */
export type Reference = {
  pointer: string;
  keyword: "$ref" | "$dynamicRef" | "$id";
  value: string;
  uri: string;
  target: ReferenceTarget;
  /** The schema object holding the reference, and for a local target the schema it resolves to. */
  from?: object;
  to?: unknown;
};

const withoutFragment = (url: URL): string => url.href.slice(0, url.href.length - url.hash.length).replace(/#$/, "");

function pointerTarget(resource: unknown, fragment: string): unknown {
  let node = resource;
  for (const raw of fragment.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isSchemaObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

function decoded(hash: string): string {
  try {
    return decodeURIComponent(hash.slice(1));
  } catch {
    return hash.slice(1);
  }
}

/** Every reference of `schema`, each with where it resolves. */
export function schemaReferences(schema: unknown): Reference[] {
  const resources = new Map<string, unknown>();
  const anchors = new Map<string, object>();
  const found: { pointer: string; keyword: "$ref" | "$dynamicRef"; value: string; base: string; from: object }[] = [];
  const badIds: Reference[] = [];
  const collect = (node: unknown, at: (string | number)[], outerBase: string) => {
    if (!isSchemaObject(node)) return;
    let base = outerBase;
    if (typeof node.$id === "string") {
      try {
        base = withoutFragment(new URL(node.$id, outerBase));
        resources.set(base, node);
      } catch {
        badIds.push({ pointer: toPointer([...at, "$id"]), keyword: "$id", value: node.$id, uri: node.$id, target: "invalid" });
      }
    }
    for (const k of ["$anchor", "$dynamicAnchor"]) if (typeof node[k] === "string") anchors.set(`${base}#${node[k] as string}`, node);
    for (const keyword of ["$ref", "$dynamicRef"] as const) {
      const value = node[keyword];
      if (typeof value === "string") found.push({ pointer: toPointer([...at, keyword]), keyword, value, base, from: node });
    }
    forEachSubschema(node, (sub, segments) => collect(sub, [...at, ...segments], base));
  };
  resources.set(DOCUMENT_BASE, schema);
  collect(schema, [], DOCUMENT_BASE);

  const references = found.map(({ pointer, keyword, value, base, from }): Reference => {
    let document: string;
    let fragment: string;
    let uri: string;
    if (value.startsWith("#") && base === DOCUMENT_BASE) {
      // The common case, a fragment in a schema without $id: no URI to parse (which costs more than the rest of the walk).
      [document, fragment, uri] = [DOCUMENT_BASE, decoded(value), value];
    } else {
      let url: URL;
      try {
        url = new URL(value, base);
      } catch {
        return { pointer, keyword, value, uri: value, target: "invalid", from };
      }
      [document, fragment, uri] = [withoutFragment(url), decoded(url.hash), url.href];
    }
    if (!resources.has(document)) return { pointer, keyword, value, uri, target: document.startsWith(META_SCHEMAS) ? "meta-schema" : "remote", from };
    const resource = resources.get(document);
    const to = fragment === "" ? resource : fragment.startsWith("/") ? pointerTarget(resource, fragment) : anchors.get(`${document}#${fragment}`);
    return { pointer, keyword, value, uri, target: to === undefined ? "missing" : "local", from, to };
  });
  return [...badIds, ...references];
}
