/**
 * The JSON request body parser: Fastify's own (which refuses `__proto__` keys), behind the
 * nesting limit of every reader (json/nesting-depth.ts), checked on the text before parsing,
 * so a body of a million `[` is a 400 rather than a stack overflow in a later structuredClone,
 * ajv or JSON.stringify. A body that is not JSON is answered with where, never with what: the
 * body may hold a credential.
 */
import type { FastifyInstance } from "fastify";
import { describeTooDeep, findDeepText } from "../json/nesting-depth.js";
import { readJson } from "../json/read-json.js";
import { ServiceError } from "./service-error.js";

export function installJsonBodyParser(app: FastifyInstance): void {
  const standard = app.getDefaultJsonParser("error", "ignore");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    const deep = findDeepText(text, "json");
    if (deep) {
      done(new ServiceError(400, "BODY_TOO_DEEP", `the request body has ${describeTooDeep(deep)}`, "Flatten the value: objects and arrays nest at most 100 levels.", deep.pointer ?? undefined), undefined);
      return;
    }
    standard(request, text, (error, value) => {
      if (!error) return done(null, value);
      const read = (error as { code?: string }).code === "FST_ERR_CTP_INVALID_JSON_BODY" ? readJson(text) : null;
      done(read && !read.ok ? new ServiceError(400, "INVALID_JSON", `the request body is ${read.message}`, "Send one JSON value with content-type application/json.") : error, undefined);
    });
  });
}
