/**
 * The files of a new integration made from an OpenAPI document's operations, as a pure plan like
 * scaffold.ts: one rpc handler per operation (openapi-operations-plan.ts), its input and output
 * schemas converted to the manifest's JSON Schema (openapi-schema.ts), Lua calling the
 * operation's path template, and a test case whose recorded reply is the document's example (or
 * a value made from the schema) and whose request is what that Lua sends. Every example is
 * checked against the schema it illustrates with the runtime's own validator, so the folder
 * passes `ihub validate` and `ihub test` as generated.
 */
import { checkSchema, fillPathTemplate } from "@ihub/runtime";
import type { Manifest } from "@ihub/runtime/manifest";
import { IhubError, EXIT } from "../../errors.js";
import type { z } from "zod";
import type { httpRequestMatchSchema, TestCase } from "../../harness/test-case-schema.js";
import { MANIFEST_FILE } from "@ihub/runtime/layout";
import { planOperations, type PlannedOperation } from "./openapi-operations-plan.js";
import { sampleOf, toJsonSchema, type JsonSchema, type RefLookup, type Vocabulary } from "./openapi-schema.js";
import { valueAt } from "../../validate/openapi/document-set.js";
import type { OpenApiVersion } from "../../validate/ajv/definitions.js";
import { AUTH, FIRST_VERSION, ICON, PUBLISHER_PLACEHOLDER, defaultName, json, type AuthType } from "./scaffold.js";

/** More operations than a person reviews in one pull request; pick some with --operations. */
export const MAX_OPERATIONS = 50;
const HANDLER_FILE = "handlers/api.lua";
const DOCUMENT_FILE = "openapi.json";

export type FromOpenApiOptions = {
  slug: string;
  name?: string;
  auth?: AuthType;
  /** Who maintains it; the placeholder validate reports (IH015) when absent. */
  publisher?: string;
  /** operationIds or handler names to keep; all when absent. */
  operations?: string[];
  version: OpenApiVersion;
  /** The document with every `$ref` followed (circular ones left as `$ref`). */
  dereferenced: Record<string, unknown>;
  /** The document as one file, written beside the manifest. */
  bundled: unknown;
  vocabulary: Vocabulary;
};

const valueAtPointer = (doc: unknown, pointer: string) => {
  const got = valueAt(doc, decodeURIComponent(pointer));
  return got.found ? got.value : undefined;
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const oneLine = (s: string, max: number) => s.replace(/\s+/g, " ").trim().slice(0, max);

/** A Lua string literal for any text: quotes, backslashes, control characters and newlines escaped. */
export function luaString(text: string): string {
  return `"${text.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => (c === "\\" ? "\\\\" : c === '"' ? '\\"' : `\\${String(c.charCodeAt(0)).padStart(3, "0")}`))}"`;
}

const valid = (schema: JsonSchema, value: unknown) => value !== undefined && (typeof schema === "boolean" ? schema : checkSchema(schema, value).length === 0);
/** The document's example when it fits the schema, else one made from the schema when that fits; undefined when neither does. */
function exampleFor(schema: JsonSchema, given: unknown): unknown {
  if (valid(schema, given)) return given;
  const made = sampleOf(schema);
  return valid(schema, made) ? made : undefined;
}

/** The auth block a document's first security scheme implies, when --auth does not say. */
function authFromDocument(doc: Record<string, unknown>): Manifest["auth"] {
  const components = isRecord(doc.components) ? doc.components : {};
  const schemes = isRecord(components.securitySchemes) ? components.securitySchemes : isRecord(doc.securityDefinitions) ? doc.securityDefinitions : {};
  for (const scheme of Object.values(schemes)) {
    if (!isRecord(scheme)) continue;
    if (scheme.type === "apiKey" && scheme.in === "header" && typeof scheme.name === "string") return { ...AUTH.api_key, authHeaderName: scheme.name };
    if (scheme.type === "http" && /^bearer$/i.test(String(scheme.scheme))) return AUTH.bearer_token;
    if ((scheme.type === "http" && /^basic$/i.test(String(scheme.scheme))) || scheme.type === "basic") return AUTH.basic;
    if (scheme.type === "oauth2") {
      const flow = isRecord(scheme.flows) && isRecord(scheme.flows.authorizationCode) ? scheme.flows.authorizationCode : scheme.flow === "accessCode" ? scheme : null;
      if (flow && typeof flow.authorizationUrl === "string" && typeof flow.tokenUrl === "string" && /^https:\/\//.test(flow.authorizationUrl) && /^https:\/\//.test(flow.tokenUrl)) {
        const scopes = isRecord(flow.scopes) ? Object.keys(flow.scopes).slice(0, 20) : [];
        return { ...AUTH.oauth2, scopes, oauth2: { ...(AUTH.oauth2.oauth2 as object), authorizationUrl: flow.authorizationUrl, tokenUrl: flow.tokenUrl } } as Manifest["auth"];
      }
    }
  }
  return AUTH.none;
}

type Built = { op: PlannedOperation; inputSchema: Record<string, unknown>; outputSchema: JsonSchema; input: Record<string, unknown>; output: unknown; returnsStatus: boolean };

function build(op: PlannedOperation, vocabulary: Vocabulary, lookup: RefLookup): Built {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const input: Record<string, unknown> = {};
  for (const p of op.params) {
    let schema = toJsonSchema(p.schema, vocabulary, lookup);
    // The runtime fills a path template from scalars only.
    if (p.in === "path" && isRecord(schema) && (schema.type === "object" || schema.type === "array")) schema = { type: "string" };
    if (p.in === "path" && isRecord(schema) && (schema.type === undefined || schema.type === "string") && schema.minLength === undefined) schema = { ...schema, minLength: 1 };
    if (p.description && isRecord(schema) && schema.description === undefined) schema = { ...schema, description: oneLine(p.description, 500) };
    properties[p.prop] = schema;
    if (p.required) required.push(p.prop);
    const value = exampleFor(schema, p.example);
    if (p.required || p.example !== undefined) input[p.prop] = value ?? "example";
  }
  if (op.body) {
    const schema = toJsonSchema(op.body.schema, vocabulary, lookup);
    properties[op.body.prop] = schema;
    if (op.body.required) required.push(op.body.prop);
    const value = exampleFor(schema, op.body.example);
    if (value !== undefined && (op.body.required || op.body.example !== undefined)) input[op.body.prop] = value;
  }
  const inputSchema = { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false };
  if (op.response.schema === undefined) {
    return { op, inputSchema, outputSchema: { type: "object", properties: { status: { type: "integer" } }, required: ["status"], additionalProperties: false }, input, output: { status: op.response.status }, returnsStatus: true };
  }
  let outputSchema = toJsonSchema(op.response.schema, vocabulary, lookup);
  let output = exampleFor(outputSchema, op.response.example);
  if (output === undefined) {
    // Neither the document's example nor a made-up value fits the schema (a pattern, a oneOf of
    // look-alikes): the output is left unchecked rather than the test left failing.
    outputSchema = {};
    output = op.response.example ?? {};
  }
  return { op, inputSchema, outputSchema, input, output, returnsStatus: false };
}

const field = (prop: string) => `input[${luaString(prop)}]`;

function luaHandler({ op, returnsStatus }: Built): string {
  const lines = [`-- ${op.method} ${op.path}: ${oneLine(op.summary, 200)}`, `function M.${op.handler}(ctx, input)`, `  local res = ctx.device.http("api", {`, `    method = ${luaString(op.method)},`, `    path = ${luaString(op.path)},`];
  const table = (name: string, entries: string[]) => entries.length && lines.push(`    ${name} = {`, ...entries.map((e) => `      ${e},`), "    },");
  const byPlace = (place: string) => op.params.filter((p) => p.in === place);
  table("params", byPlace("path").map((p) => `[${luaString(p.name)}] = ${field(p.prop)}`));
  table(
    "query",
    byPlace("query").map((p) => {
      const isArray = isRecord(p.schema) && (p.schema.type === "array" || (Array.isArray(p.schema.type) && p.schema.type.includes("array")));
      return `[${luaString(p.name)}] = ${isArray ? `${field(p.prop)} and table.concat(${field(p.prop)}, ",") or nil` : field(p.prop)}`;
    }),
  );
  table("headers", byPlace("header").map((p) => `[${luaString(p.name)}] = ${field(p.prop)}`));
  if (op.body) lines.push(`    json = ${field(op.body.prop)},`);
  lines.push(
    "  })",
    "  if res.status >= 400 then",
    `    error({ code = "upstream_error", message = ${luaString(`${op.method} ${op.path} answered `)} .. res.status })`,
    "  end",
    returnsStatus ? "  return { status = res.status }" : "  return res.json",
    "end",
  );
  return lines.join("\n");
}

/** The request the generated Lua sends for the case's input, as a fixture matches it. */
function recordedRequest(b: Built): z.infer<typeof httpRequestMatchSchema> {
  const params = Object.fromEntries(b.op.params.filter((p) => p.in === "path").map((p) => [p.name, b.input[p.prop] as string | number | boolean]));
  const text = (v: unknown) => (Array.isArray(v) ? v.map(String).join(",") : String(v));
  const query = Object.fromEntries(b.op.params.filter((p) => p.in === "query" && b.input[p.prop] !== undefined).map((p) => [p.name, text(b.input[p.prop])]));
  const headers = Object.fromEntries(b.op.params.filter((p) => p.in === "header" && b.input[p.prop] !== undefined).map((p) => [p.name, text(b.input[p.prop])]));
  const body = b.op.body ? b.input[b.op.body.prop] : undefined;
  return {
    method: b.op.method,
    path: fillPathTemplate("api", b.op.path, params),
    ...(Object.keys(query).length ? { query } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(body !== undefined ? { json: body } : {}),
  };
}

function testCase(b: Built): TestCase {
  const response = b.returnsStatus ? { status: b.op.response.status } : { status: b.op.response.status, json: b.output };
  return {
    $schema: "../../../schemas/integration-test.schema.json",
    name: `${b.op.handler} returns the ${b.returnsStatus ? "status" : "reply"} of ${b.op.method} ${b.op.path}`,
    handler: b.op.handler,
    input: b.input,
    fixtures: { http: [{ alias: "api", request: recordedRequest(b), response }] },
    expect: { output: b.output, requests: 1 },
  };
}

/** Property names of an object schema, for the README. */
const shape = (schema: JsonSchema) => (isRecord(schema) && isRecord(schema.properties) ? `{ ${Object.keys(schema.properties).map((k) => JSON.stringify(k)).join(", ")} }` : "any JSON value");

function readme(name: string, description: string, built: Built[], auth: Manifest["auth"]): string {
  const sections = built.map((b) =>
    [
      `### ${b.op.handler} (rpc)`,
      "",
      `${oneLine(b.op.summary, 500)}`,
      "",
      `- Calls: \`${b.op.method} ${b.op.path}\`${b.op.operationId ? ` (operationId \`${b.op.operationId}\`)` : ""}`,
      `- Input: ${shape(b.inputSchema)}`,
      `- Output: ${b.returnsStatus ? "`{ status }`" : shape(b.outputSchema)}`,
      "- Errors: `upstream_error` when the API answers 400 or above.",
      ...b.op.notes.map((n) => `- Not covered: ${n}.`),
      "",
    ].join("\n"),
  );
  return `# ${name}\n\n${description}\n\n## Auth\n\n\`${auth.type}\`${auth.type === "none" ? ": the API is called without credentials" : ": the runtime adds the credential to every call"}.\n\n## Resources\n\n- \`api\` (http): base URL of the ${name} API; its operations are in \`${DOCUMENT_FILE}\`.\n\n## Handlers\n\n${sections.join("\n")}`;
}

export function openApiScaffoldFiles(opts: FromOpenApiOptions): Record<string, string> {
  const all = planOperations(opts.dereferenced, opts.version);
  if (all.length === 0) throw new IhubError("IH_OPENAPI_NO_OPERATIONS", "the document has no operation a handler can call (GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS under paths)", { hint: "Give a document that describes the API's paths.", exitCode: EXIT.usage });
  let chosen = all;
  if (opts.operations) {
    const unknown = opts.operations.filter((id) => !all.some((op) => op.operationId === id || op.handler === id));
    if (unknown.length) {
      const known = all.map((op) => op.operationId ?? op.handler);
      throw new IhubError("IH_OPENAPI_UNKNOWN_OPERATION", `--operations names ${unknown.map((u) => `"${u.slice(0, 100)}"`).join(", ")}, which the document does not have`, {
        hint: `Pick from: ${known.slice(0, 30).join(", ")}${known.length > 30 ? `, and ${known.length - 30} more` : ""}.`,
        exitCode: EXIT.usage,
      });
    }
    chosen = all.filter((op) => opts.operations!.includes(op.operationId ?? "") || opts.operations!.includes(op.handler));
  }
  if (chosen.length > MAX_OPERATIONS) {
    throw new IhubError("IH_OPENAPI_TOO_MANY_OPERATIONS", `the document has ${chosen.length} operations; one integration starts with at most ${MAX_OPERATIONS}`, {
      hint: `Pick the ones it needs with --operations id,id,... (e.g. ${all.slice(0, 3).map((op) => op.operationId ?? op.handler).join(",")}).`,
      exitCode: EXIT.usage,
    });
  }
  const lookup: RefLookup = (ref) => (ref.startsWith("#") ? valueAtPointer(opts.dereferenced, ref.slice(1)) : undefined);
  const built = chosen.map((op) => build(op, opts.vocabulary, lookup));
  const info = isRecord(opts.dereferenced.info) ? opts.dereferenced.info : {};
  const name = opts.name ?? (typeof info.title === "string" && info.title.trim() ? oneLine(info.title, 100) : defaultName(opts.slug));
  const description = (typeof info.description === "string" && oneLine(info.description, 500)) || `Calls ${built.length} operation${built.length === 1 ? "" : "s"} of the ${name} API.`;
  const auth = opts.auth ? AUTH[opts.auth] : authFromDocument(opts.dereferenced);
  const servers = Array.isArray(opts.dereferenced.servers) ? opts.dereferenced.servers : [];
  const server = isRecord(servers[0]) && typeof servers[0].url === "string" ? servers[0].url : typeof opts.dereferenced.host === "string" ? `https://${opts.dereferenced.host}${typeof opts.dereferenced.basePath === "string" ? opts.dereferenced.basePath : ""}` : undefined;
  const manifest: Manifest = {
    $schema: "../../schemas/integration.schema.json",
    slug: opts.slug,
    name,
    description,
    version: FIRST_VERSION,
    publisher: opts.publisher ?? PUBLISHER_PLACEHOLDER,
    trustTier: "community",
    visibility: "private",
    categories: ["other"],
    icon: "icon.svg",
    retentionTier: "none",
    auth,
    resources: { api: { kind: "http", description: oneLine(`Base URL of the ${name} API${server ? `, e.g. ${server}` : ""}.`, 500), openapi: DOCUMENT_FILE } },
    permissions: { device: { api: { methods: [...new Set(built.map((b) => b.op.method))], maxCalls: 5 } } },
    handlers: Object.fromEntries(
      built.map((b) => [
        b.op.handler,
        {
          type: "rpc",
          file: HANDLER_FILE,
          function: b.op.handler,
          displayName: oneLine(b.op.operationId ?? `${b.op.method} ${b.op.path}`, 100),
          description: oneLine(b.op.summary, 1000),
          timeoutMs: 10000,
          inputSchema: b.inputSchema,
          outputSchema: b.outputSchema,
        },
      ]),
    ),
  } as Manifest;
  const lua = `-- Handlers for ${oneLine(name, 100)}, one per operation of ${DOCUMENT_FILE}. Each path is a template whose\n-- params the runtime percent-encodes into their segments, so no input can reach another endpoint.\nlocal M = {}\n\n${built.map(luaHandler).join("\n\n")}\n\nreturn M\n`;
  const files: Record<string, string> = {
    [MANIFEST_FILE]: json(manifest),
    [HANDLER_FILE]: lua,
    [DOCUMENT_FILE]: json(opts.bundled),
    "icon.svg": ICON,
    "README.md": readme(name, description, built, auth),
    "CHANGELOG.md": `# Changelog\n\n## ${FIRST_VERSION}\n\n- First version: ${built.map((b) => b.op.handler).join(", ")}.\n`,
  };
  for (const b of built) files[`tests/${b.op.handler.replace(/_/g, "-")}.test.json`] = json(testCase(b));
  return files;
}
