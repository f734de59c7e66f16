/**
 * The operations of a dereferenced OpenAPI document (2.0 or 3.x) as `ihub new --from-openapi`
 * turns them into handlers: a snake_case handler name each (from the operationId, else method and
 * path; collisions numbered), the input properties its path, query and header parameters and its
 * JSON request body become (collisions renamed), the success response's schema, and the examples
 * the document gives for each. A pure function of the document.
 */
import { httpMethods } from "@ihub/runtime/manifest";
import type { OpenApiVersion } from "../../validate/ajv/definitions.js";

export type ParamPlace = "path" | "query" | "header";

export type PlannedParam = { name: string; in: ParamPlace; prop: string; required: boolean; schema: unknown; example?: unknown; description?: string };

export type PlannedOperation = {
  handler: string;
  method: (typeof httpMethods)[number];
  path: string;
  operationId?: string;
  summary: string;
  params: PlannedParam[];
  body?: { prop: string; required: boolean; schema: unknown; example?: unknown };
  /** The success response: its status, and the schema and example of its JSON body when it has one. */
  response: { status: number; schema?: unknown; example?: unknown };
  /** What the handler leaves out (cookie or form parameters, non-JSON bodies), for the README. */
  notes: string[];
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const MAX_NAME = 64;
/** Set by the runtime or the transport; a handler may not send them (see the runtime's device http). */
const RUNTIME_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization", "authorization", "content-type", "accept-encoding"]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `listPets` -> `list_pets`, `GET /pets/{id}` -> `get_pets_id`; a valid snake_case handler name in any case. */
export function snakeName(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let name = words.join("_").slice(0, MAX_NAME).replace(/_+$/, "");
  if (name === "") name = "operation";
  if (!/^[a-z]/.test(name)) name = `op_${name}`.slice(0, MAX_NAME).replace(/_+$/, "");
  return name;
}

/** The first value of an OpenAPI `examples` map (3.x) or `example`. */
function exampleOf(node: Record<string, unknown>): unknown {
  if (node.example !== undefined) return node.example;
  if (isRecord(node.examples)) {
    for (const ex of Object.values(node.examples)) if (isRecord(ex) && ex.value !== undefined) return ex.value;
  }
  if (isRecord(node.schema) && node.schema.example !== undefined) return node.schema.example;
  return undefined;
}

/** A JSON media type of a content map: application/json first, then any `+json`. */
function jsonMedia(content: unknown): Record<string, unknown> | undefined {
  if (!isRecord(content)) return undefined;
  const key = Object.keys(content).find((k) => /^application\/json\b/i.test(k)) ?? Object.keys(content).find((k) => /[/+]json\b/i.test(k));
  const media = key ? content[key] : undefined;
  return isRecord(media) ? media : undefined;
}

/** A Swagger 2.0 non-body parameter's schema: its own type fields. */
const SWAGGER_SCHEMA_FIELDS = ["type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf", "description"];

function paramSchema(param: Record<string, unknown>, version: OpenApiVersion): unknown {
  if (version === "2.0") return Object.fromEntries(SWAGGER_SCHEMA_FIELDS.filter((k) => param[k] !== undefined).map((k) => [k, param[k]]));
  if (param.schema !== undefined) return param.schema;
  return jsonMedia(param.content)?.schema ?? {};
}

function responseOf(responses: unknown, version: OpenApiVersion): PlannedOperation["response"] {
  if (!isRecord(responses)) return { status: 200 };
  const codes = Object.keys(responses);
  const code = codes.find((c) => /^2\d\d$/.test(c)) ?? codes.find((c) => /^2XX$/i.test(c)) ?? (codes.includes("default") ? "default" : undefined);
  const status = code && /^\d{3}$/.test(code) ? Number(code) : 200;
  const response = code ? responses[code] : undefined;
  if (!isRecord(response)) return { status };
  if (version === "2.0") {
    if (response.schema === undefined) return { status };
    const examples = isRecord(response.examples) ? response.examples : {};
    const key = Object.keys(examples).find((k) => /json/i.test(k));
    return { status, schema: response.schema, example: key ? examples[key] : isRecord(response.schema) ? response.schema.example : undefined };
  }
  const media = jsonMedia(response.content);
  if (!media) return { status };
  return { status, schema: media.schema ?? {}, example: exampleOf(media) };
}

export function planOperations(doc: Record<string, unknown>, version: OpenApiVersion): PlannedOperation[] {
  const out: PlannedOperation[] = [];
  const names = new Set<string>();
  const paths = isRecord(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith("/") || !isRecord(item)) continue;
    for (const method of httpMethods) {
      const op = item[method.toLowerCase()];
      if (!isRecord(op)) continue;
      const notes: string[] = [];
      // Operation parameters override the path item's of the same name and place.
      const merged = new Map<string, Record<string, unknown>>();
      for (const p of [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        if (isRecord(p) && typeof p.name === "string" && typeof p.in === "string") merged.set(`${p.in}\0${p.name}`, p);
      }
      const params: PlannedParam[] = [];
      const props = new Set<string>();
      const propFor = (name: string, place: string) => {
        let prop = props.has(name) ? `${place}_${name}` : name;
        for (let n = 2; props.has(prop); n++) prop = `${place}_${name}_${n}`;
        props.add(prop);
        return prop;
      };
      let body: PlannedOperation["body"];
      for (const p of merged.values()) {
        const place = p.in as string;
        if (place === "body") {
          body = { prop: "", required: p.required === true, schema: p.schema ?? {}, example: isRecord(p.schema) ? p.schema.example : undefined };
          continue;
        }
        if (place === "header" && (RUNTIME_HEADERS.has(String(p.name).toLowerCase()) || !TOKEN.test(String(p.name)))) {
          notes.push(`header ${String(p.name)} is set by the runtime, not by the handler`);
          continue;
        }
        if (place !== "path" && place !== "query" && place !== "header") {
          notes.push(`${place} parameter ${String(p.name)} is not sent`);
          continue;
        }
        const schema = paramSchema(p, version);
        params.push({
          name: p.name as string,
          in: place,
          prop: propFor(p.name as string, place),
          required: place === "path" || p.required === true,
          schema,
          example: version === "2.0" ? p["x-example"] : exampleOf(p),
          ...(typeof p.description === "string" ? { description: p.description } : {}),
        });
      }
      if (version !== "2.0" && op.requestBody !== undefined) {
        const rb = isRecord(op.requestBody) ? op.requestBody : {};
        const media = jsonMedia(rb.content);
        if (media) body = { prop: "", required: rb.required === true, schema: media.schema ?? {}, example: exampleOf(media) };
        else notes.push("the request body is not JSON, so it is not sent");
      }
      if (body) body.prop = propFor("body", "request");
      const operationId = typeof op.operationId === "string" && op.operationId.trim() !== "" ? op.operationId : undefined;
      let handler = snakeName(operationId ?? `${method} ${path}`);
      const base = handler;
      for (let n = 2; names.has(handler); n++) handler = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
      names.add(handler);
      const summary = [op.summary, op.description].find((s): s is string => typeof s === "string" && s.trim() !== "")?.trim() ?? `${method} ${path}`;
      out.push({ handler, method, path, ...(operationId ? { operationId } : {}), summary, params, ...(body ? { body } : {}), response: responseOf(op.responses, version), notes });
    }
  }
  return out;
}
