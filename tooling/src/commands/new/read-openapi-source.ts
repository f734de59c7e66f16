/**
 * The OpenAPI document `ihub new --from-openapi FILE` starts from: read with the size cap
 * validate uses, judged as validate judges it (an invalid document is refused with its findings),
 * bundled into one value (files its relative `$ref`s name inlined) and dereferenced for reading
 * schemas. `$ref`s may reach files under the current folder (or, for a document outside it, the
 * document's own folder), nowhere else.
 */
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import { validator } from "../../validate/ajv/validator.js";
import type { OpenApiVersion, VocabularyFacts } from "../../validate/ajv/definitions.js";
import { validateOpenApiDocument } from "../../validate/checks/openapi-document.js";
import { bundleDocumentSet, readable, refParser, type ReadText } from "../../validate/openapi/document-set.js";
import { isInside, MAX_OPENAPI_BYTES } from "../../validate/read-inside.js";
import { parseStructured } from "../../validate/structured-text.js";
import { EXIT, IhubError } from "../../errors.js";
import type { Vocabulary } from "./openapi-schema.js";

export type OpenApiSource = { version: OpenApiVersion; bundled: unknown; dereferenced: Record<string, unknown>; vocabulary: Vocabulary };

const refuse = (code: string, message: string, hint: string) => new IhubError(code, message, { hint, exitCode: EXIT.usage });

/** Regular files inside `folder` only, at most MAX_OPENAPI_BYTES each. */
function confinedReader(folder: string): ReadText {
  return async (rel) => {
    const abs = path.resolve(folder, rel);
    if (!isInside(folder, abs)) return { ok: false, message: "it is outside the folder" };
    try {
      const info = await lstat(abs);
      if (!info.isFile()) return { ok: false, message: "it is not a regular file" };
      if (info.size > MAX_OPENAPI_BYTES) return { ok: false, message: `it is ${info.size} bytes, over the ${MAX_OPENAPI_BYTES}-byte limit` };
      return { ok: true, text: await readFile(abs, "utf8") };
    } catch (error) {
      return { ok: false, message: (error as NodeJS.ErrnoException).code ?? "unreadable" };
    }
  };
}

export async function readOpenApiSource(file: string, cwd: string): Promise<OpenApiSource> {
  const abs = path.resolve(cwd, file);
  const folder = isInside(cwd, abs) ? cwd : path.dirname(abs);
  const rel = path.relative(folder, abs).split(path.sep).join("/");
  const read = confinedReader(folder);
  const root = await read(rel);
  if (!root.ok) throw refuse("IH_OPENAPI_UNREADABLE", `--from-openapi ${file} cannot be read: ${root.message}`, "Give the path of a JSON or YAML OpenAPI document.");
  const outcome = await validateOpenApiDocument(root.text, rel, read);
  if (!outcome.ok) {
    const shown = outcome.problems.slice(0, 5).map((p) => `${p.file}${p.position ? `:${p.position.line}` : ""}${p.pointer ? ` ${p.pointer}` : ""} ${p.message}`);
    throw refuse("IH_OPENAPI_INVALID", `--from-openapi ${file} is not a valid OpenAPI document:\n  ${shown.join("\n  ")}`, "Fix the document (ihub validate applies the same checks), or start from the template without --from-openapi.");
  }
  const parsed = parseStructured(root.text);
  if (!parsed.ok) throw new Error("a document that validated does not parse");
  const bundled = await bundleDocumentSet(rel, { value: parsed.value, locate: parsed.locate }, read, "the folder the document is read from");
  if (!bundled.ok) throw refuse("IH_OPENAPI_INVALID", `--from-openapi ${file}: ${bundled.problem.message}`, "Keep the files the document refers to beside it.");
  let dereferenced: Record<string, unknown>;
  try {
    // Circular references stay `$ref`s; the schema conversion reads them as "anything".
    dereferenced = (await refParser().dereference("/", structuredClone(bundled.bundled) as object, { resolve: { external: false }, dereference: { circular: "ignore" } })) as Record<string, unknown>;
  } catch (error) {
    throw refuse("IH_OPENAPI_INVALID", `--from-openapi ${file}: its $refs cannot be followed: ${readable(error)}`, "Fix the references the message names.");
  }
  const facts = (await validator("json-schema-2020-12")) as unknown as { vocabulary: VocabularyFacts };
  return { version: outcome.version, bundled: bundled.bundled, dereferenced, vocabulary: { keywords: new Set(facts.vocabulary.keywords), formats: new Set(facts.vocabulary.formats) } };
}
