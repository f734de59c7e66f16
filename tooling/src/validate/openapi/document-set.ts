/**
 * An OpenAPI document and every file its relative `$ref`s reach, each parsed once with a way to
 * map a pointer back to its line. swagger-parser's resolver (json-schema-ref-parser, resolved
 * from swagger-parser's location so it is the version swagger-parser was released with; its own
 * `resolve` would refuse valid 3.1 and 3.2 documents before resolving anything) finds and loads
 * the referenced files; reading and parsing go through the integration's own reader (which
 * refuses paths outside the folder) and the structured-text parser (which gives lines).
 *
 * Files are named by their path relative to the integration folder. The resolver works on
 * absolute paths, so the folder is mounted at a virtual root: a `$ref` that climbs out of it
 * resolves outside the root and is refused before anything is read. Remote (`http:`) references
 * are never fetched.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fromPointer } from "@ihub/runtime/json";
import { parseStructured } from "../structured-text.js";
import type { Position } from "../source-position.js";

/** Where the integration folder sits for the resolver; no real path starts with it. */
const MOUNT = "/__integration__/";
/** A real document splits into tens of files; thousands would be an attack on the validator. */
export const MAX_OPENAPI_FILES = 200;

export type ParsedFile = { value: unknown; locate(pointer: string): Position };

/** A place in the set: a file relative to the integration folder and a JSON pointer inside it. */
export type Place = { file: string; pointer: string };

export type LoadProblem = { message: string; file: string; pointer: string | null; position: Position | null; tooDeep?: true };

export type DocumentSet = {
  root: string;
  files: ReadonlyMap<string, ParsedFile>;
};

/** Reads a file relative to the integration folder; `message` says why it could not. */
export type ReadText = (relPath: string) => Promise<{ ok: true; text: string } | { ok: false; message: string }>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function valueAt(value: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  let node = value;
  for (const token of fromPointer(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(token) && Number(token) < node.length) node = node[Number(token)];
    else if (isRecord(node) && Object.hasOwn(node, token)) node = node[token];
    else return { found: false };
  }
  return { found: true, value: node };
}

/**
 * Where a `$ref` written in `from` points: the file (relative to the integration folder) and
 * the pointer. Null for a remote or absolute reference, or one that leaves the folder.
 */
export function refTarget(ref: string, from: string): Place | null {
  const hash = ref.indexOf("#");
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  let fragment = hash === -1 ? "" : ref.slice(hash + 1);
  try {
    fragment = decodeURIComponent(fragment);
  } catch {
    return null;
  }
  if (filePart === "") return { file: from, pointer: fragment };
  if (/^[a-z][a-z0-9+.-]*:/i.test(filePart) || filePart.startsWith("/")) return null;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURI(filePart)));
  if (joined.startsWith("../") || joined === "..") return null;
  return { file: joined, pointer: fragment };
}

type Resolved = { ok: true; set: DocumentSet; bundled: unknown } | { ok: false; problem: LoadProblem };

/** The root document (already parsed) and everything its references reach, or the first problem loading them. */
export async function loadDocumentSet(root: string, rootFile: ParsedFile, read: ReadText): Promise<Resolved> {
  return resolveSet(root, rootFile, read, "resolve", "the integration folder");
}

/** As loadDocumentSet, plus the document as one value: every file it refers to inlined, internal `$ref`s kept. */
export async function bundleDocumentSet(root: string, rootFile: ParsedFile, read: ReadText, folder: string): Promise<Resolved> {
  return resolveSet(root, rootFile, read, "bundle", folder);
}

/** `folder` names, for messages, the folder `read` is confined to. */
async function resolveSet(root: string, rootFile: ParsedFile, read: ReadText, how: "resolve" | "bundle", folder: string): Promise<Resolved> {
  const files = new Map<string, ParsedFile>([[root, rootFile]]);
  // The resolver wraps what a plugin throws in its own errors; the first problem is kept here.
  let failure: LoadProblem | undefined;
  const fail = (problem: LoadProblem): never => {
    failure ??= problem;
    throw new Error(problem.message);
  };
  let reads = 0;
  const relOf = (url: string) => {
    const abs = url.startsWith("file:") ? decodeURIComponent(new URL(url).pathname) : url;
    return abs.startsWith(MOUNT) ? abs.slice(MOUNT.length) : null;
  };
  const refuse = (message: string) => fail({ message, file: root, pointer: null, position: null });
  const resolver = {
    order: 1,
    canRead: true,
    async read(file: { url: string }): Promise<string> {
      const rel = relOf(file.url);
      if (rel === null) return refuse(`refers to ${JSON.stringify(file.url.slice(0, 200))}, outside ${folder}: only files inside it are followed`);
      if (++reads >= MAX_OPENAPI_FILES) return refuse(`refers to more than ${MAX_OPENAPI_FILES} files`);
      const got = await read(rel);
      if (!got.ok) return refuse(`refers to ${rel}, which cannot be read: ${got.message}`);
      return got.text;
    },
  };
  const parser = {
    order: 1,
    canParse: true,
    parse(file: { url: string; data: string | Buffer }): unknown {
      const rel = relOf(file.url) ?? file.url;
      if (rel === root) return rootFile.value;
      const parsed = parseStructured(typeof file.data === "string" ? file.data : file.data.toString("utf8"));
      if (!parsed.ok) {
        return fail({ message: parsed.tooDeep ? parsed.message : `does not parse: ${parsed.message}`, file: rel, pointer: parsed.tooDeep?.pointer ?? null, position: parsed.position, ...(parsed.tooDeep ? { tooDeep: true as const } : {}) });
      }
      files.set(rel, { value: parsed.value, locate: parsed.locate });
      return parsed.value;
    },
  };
  let result: unknown;
  try {
    result = await refParser()[how](MOUNT + root, structuredClone(rootFile.value) as object, {
      resolve: { file: resolver, http: false, external: true },
      parse: { json: false, yaml: false, text: false, binary: false, structured: parser },
    });
  } catch (error) {
    if (failure) return { ok: false, problem: failure };
    return { ok: false, problem: { message: `has a $ref that cannot be resolved: ${readable(error)}`, file: root, pointer: null, position: null } };
  }
  return { ok: true, set: { root, files }, bundled: how === "bundle" ? result : undefined };
}

type RefParserCall = (path: string, schema: object, options: object) => Promise<unknown>;
type RefParser = { resolve: RefParserCall; bundle: RefParserCall; dereference: RefParserCall };
let loadedRefParser: RefParser | undefined;
/** Loaded on first use: only integrations with a document need it. */
export function refParser(): RefParser {
  const fromSwaggerParser = createRequire(createRequire(import.meta.url).resolve("@apidevtools/swagger-parser"));
  return (loadedRefParser ??= (fromSwaggerParser("@apidevtools/json-schema-ref-parser") as { $RefParser: RefParser }).$RefParser);
}

/** An error's message as one line without the virtual mount point. */
export function readable(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(MOUNT).join("").replace(/\s+/g, " ").trim().slice(0, 300);
}
