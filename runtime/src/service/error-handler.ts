/**
 * The one place errors become HTTP answers: typed errors keep their code and hint, request
 * validation names the JSON pointer at fault, and anything unexpected is a 500 whose details go
 * to the log, not to the caller.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ExecutorError } from "../executor/executor-error.js";
import { RegistryError, type RegistryErrorCode } from "../registry/registry-error.js";
import { ServiceStoreError } from "../service-store/service-store-error.js";
import { VaultError } from "../vault/vault-error.js";
import { ServiceError } from "./service-error.js";
import { OAuthError, type OAuthErrorCode } from "../oauth/oauth-error.js";

type ErrorAnswer = { status: number; code: string; message: string; hint?: string | undefined; pointer?: string | undefined; problems?: readonly { message: string; pointer: string }[] | undefined };

/** A version the caller asked for that does not exist is the caller's problem; a registry that sends bad bytes is not. */
function registryStatus(code: RegistryErrorCode): number {
  switch (code) {
    case "REG_NOT_FOUND":
    case "REG_NO_MATCH":
      return 404;
    case "REG_BAD_SPEC":
      return 400;
    case "REG_YANKED":
      return 409;
    default:
      return 502;
  }
}

const OAUTH_STATUS: Record<OAuthErrorCode, number> = {
  OAUTH_NOT_OAUTH2: 409,
  OAUTH_NOT_CONFIGURED: 409,
  OAUTH_SETTING_INVALID: 500,
  OAUTH_STATE_INVALID: 400,
  OAUTH_DENIED: 400,
  OAUTH_TOKEN_REFUSED: 502,
  OAUTH_TOKEN_UNREACHABLE: 502,
};

type AjvIssue = { instancePath?: string; keyword?: string; params?: { missingProperty?: string; additionalProperty?: string }; message?: string };

function validationAnswer(error: FastifyError): ErrorAnswer {
  const issue = (error.validation?.[0] ?? {}) as AjvIssue;
  const leaf = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  const pointer = `${issue.instancePath ?? ""}${leaf ? `/${leaf}` : ""}` || "/";
  const where = error.validationContext ?? "request";
  return {
    status: 400,
    code: "INVALID_REQUEST",
    message: `${where}${pointer === "/" ? "" : pointer} ${issue.message ?? "is invalid"}${issue.params?.additionalProperty ? ` (${issue.params.additionalProperty})` : ""}`,
    hint: "See /openapi.json for the accepted shape.",
    ...(where === "body" ? { pointer } : {}),
  };
}

function describeError(error: unknown): ErrorAnswer | null {
  if (error instanceof ServiceError) return { status: error.status, code: error.code, message: error.message, hint: error.hint, pointer: error.pointer, problems: error.problems };
  if (error instanceof RegistryError) return { status: registryStatus(error.code), code: error.code, message: error.message, hint: error.hint };
  if (error instanceof ServiceStoreError) return { status: 400, code: error.code, message: error.message, hint: error.hint };
  if (error instanceof OAuthError) return { status: OAUTH_STATUS[error.code], code: error.code, message: error.message, hint: error.hint };
  if (error instanceof VaultError) return { status: 500, code: error.code, message: error.message, hint: error.hint };
  if (error instanceof ExecutorError) return { status: 502, code: error.code, message: error.message, hint: error.hint ?? "The installed bundle is broken; reinstall or upgrade it." };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return validationAnswer(fastifyError);
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE") return { status: 413, code: "BODY_TOO_LARGE", message: "the request body is larger than this runtime accepts", hint: "Send less data per call." };
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { status: fastifyError.statusCode, code: fastifyError.code ?? "BAD_REQUEST", message: fastifyError.message };
  }
  return null;
}

export function errorPayload(a: Omit<ErrorAnswer, "status">) {
  return { error: { code: a.code, message: a.message, ...(a.hint ? { hint: a.hint } : {}), ...(a.pointer ? { pointer: a.pointer } : {}), ...(a.problems?.length ? { problems: a.problems } : {}) } };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = describeError(error);
    if (!known) {
      request.log.error({ err: error }, "unexpected error");
      return reply.status(500).send(errorPayload({ code: "INTERNAL", message: "the runtime failed to answer this request", hint: "The runtime's log has the details." }));
    }
    if (known.status >= 500) request.log.error({ err: error }, known.message);
    return reply.status(known.status).send(errorPayload(known));
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorPayload({ code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}`, hint: "See /openapi.json." })));
}
