/**
 * A route as data: method, path, who may call it and its zod schemas. `fastifySchema` derives the
 * JSON Schemas Fastify validates and serialises with; openapi-document.ts derives the published
 * document from the same specs.
 */
import { z } from "zod";
import { errorBody } from "./api-schemas.js";

export type Access = "public" | "admin" | "tenant";

export type RouteSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  summary: string;
  access: Access;
  params?: z.ZodType;
  querystring?: z.ZodType;
  headers?: z.ZodType;
  body?: z.ZodType;
  /** False when every field of the body is optional and the body itself may be left out (read as `{}`). */
  bodyRequired?: false;
  /** Status -> body; `null` for an empty body. */
  response: Record<number, z.ZodType | null>;
};

export function jsonSchema(schema: z.ZodType, io: "input" | "output", target: "draft-7" | "draft-2020-12"): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target, io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504];

export function fastifySchema(spec: RouteSpec) {
  const input = (s: z.ZodType | undefined) => (s ? jsonSchema(s, "input", "draft-7") : undefined);
  const response: Record<number, unknown> = {};
  for (const [status, body] of Object.entries(spec.response)) response[Number(status)] = body ? jsonSchema(body, "output", "draft-7") : { type: "null" };
  // Errors are serialised by the error handler's shape for every status the route may answer.
  for (const status of ERROR_STATUSES) response[status] ??= jsonSchema(errorBody, "output", "draft-7");
  return {
    ...(spec.params ? { params: input(spec.params) } : {}),
    ...(spec.querystring ? { querystring: input(spec.querystring) } : {}),
    ...(spec.headers ? { headers: input(spec.headers) } : {}),
    ...(spec.body ? { body: input(spec.body) } : {}),
    response,
  };
}
