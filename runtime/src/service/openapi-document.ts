/** The OpenAPI 3.1 document of the HTTP API, derived from the same route specs the server runs. */
import type { RouteSpec } from "./api-route.js";
import { jsonSchema } from "./api-route.js";
import { errorBody } from "./api-schemas.js";

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_]+)/g, "{$1}");

function parameters(spec: RouteSpec) {
  const out: unknown[] = [];
  const add = (where: "path" | "query" | "header", schema: RouteSpec["params"]) => {
    if (!schema) return;
    const json = jsonSchema(schema, "input", "draft-2020-12") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s, ...((s as { description?: string }).description ? { description: (s as { description: string }).description } : {}) });
    }
  };
  add("path", spec.params);
  add("query", spec.querystring);
  add("header", spec.headers);
  return out;
}

export function openApiDocument(specs: readonly RouteSpec[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries(spec.response)) {
      responses[status] = body ? { description: body.description ?? "OK", content: { "application/json": { schema: jsonSchema(body, "output", "draft-2020-12") } } } : { description: "No content" };
    }
    responses.default = { description: "An error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    (paths[toOpenApiPath(spec.url)] ??= {})[spec.method.toLowerCase()] = {
      summary: spec.summary,
      ...(spec.access === "public" ? { security: [] } : {}),
      ...(spec.access === "admin" ? { description: "Admin token only." } : {}),
      parameters: parameters(spec),
      ...(spec.body ? { requestBody: { required: spec.bodyRequired !== false, content: { "application/json": { schema: jsonSchema(spec.body, "input", "draft-2020-12") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "ihub runtime", version, description: "Installs integrations from a registry and runs their handlers: rpc over HTTP, timers, events." },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "The admin token or a tenant token." } },
      schemas: { Error: jsonSchema(errorBody, "output", "draft-2020-12") },
    },
  };
}
