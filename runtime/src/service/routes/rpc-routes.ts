/**
 * POST /v1/installs/:id/rpc/:handler. An Idempotency-Key reserves the key before the run and
 * stores the answer after it; a repeat returns the stored answer, a repeat with another body is
 * refused. Answers of 5xx release the key so the caller may retry.
 */
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { RouteSpec } from "../api-route.js";
import { idempotencyHeaders, rpcBody, rpcParams, rpcResult } from "../api-schemas.js";
import { tenantOf } from "../auth.js";
import { rpcAnswer } from "../rpc-outcome.js";
import { addRoute } from "../service-context.js";
import { ServiceError } from "../service-error.js";

export const rpcSpecs = {
  call: {
    method: "POST",
    url: "/v1/installs/:id/rpc/:handler",
    summary: "Run an rpc handler with `{ input }`.",
    access: "tenant",
    params: rpcParams,
    headers: idempotencyHeaders,
    body: rpcBody,
    response: { 200: rpcResult },
  },
} satisfies Record<string, RouteSpec>;

type Req = { params: z.infer<typeof rpcParams>; body: z.infer<typeof rpcBody> | undefined; headers: z.infer<typeof idempotencyHeaders> };

export async function rpcRoutes(app: FastifyInstance) {
  const { installs, bundles, runner, store, rateLimiter, clock } = app.runtime;
  addRoute<Req>(app, rpcSpecs.call, async (request, reply) => {
    const install = await installs.get(tenantOf(request), request.params.id);
    const retryAfter = rateLimiter.take(install.id);
    if (retryAfter !== null) {
      reply.header("retry-after", String(retryAfter));
      throw new ServiceError(429, "RATE_LIMITED", "this install's request budget is used up", `Retry after ${retryAfter} s.`);
    }
    const { manifest } = await bundles.load(install);
    const name = request.params.handler;
    if (!Object.hasOwn(manifest.handlers, name) || manifest.handlers[name]!.type !== "rpc") {
      const rpc = Object.entries(manifest.handlers).filter(([, h]) => h.type === "rpc").map(([n]) => n);
      throw new ServiceError(404, "HANDLER_NOT_FOUND", `${install.slug}@${install.version} has no rpc handler "${name}"`, `rpc handlers: ${rpc.join(", ") || "(none)"}.`);
    }
    const input = request.body?.input ?? null;
    const key = request.headers["idempotency-key"];
    if (key) {
      const fingerprint = createHash("sha256").update(JSON.stringify([name, input])).digest("hex");
      const claim = await store.claimIdempotencyKey(install.id, key, fingerprint, clock.now());
      if (claim.state === "done") return reply.header("idempotent-replayed", "true").status(claim.response.status).send(claim.response.body);
      if (claim.state === "pending") throw new ServiceError(409, "IDEMPOTENCY_IN_PROGRESS", "a call with this Idempotency-Key is still running", "Retry when it has finished to get its result.");
      if (claim.state === "mismatch") throw new ServiceError(422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for a different call", "Use a new key for a different handler or input.");
    }
    let answer;
    try {
      const { result } = await runner.run({ install, handler: name, input, trigger: "rpc", triggerRef: null, attempt: 1, lastAttempt: true });
      answer = rpcAnswer(result);
    } catch (error) {
      if (key) await store.releaseIdempotencyKey(install.id, key);
      throw error;
    }
    if (key) {
      if (answer.status < 500) await store.completeIdempotencyKey(install.id, key, answer);
      else await store.releaseIdempotencyKey(install.id, key);
    }
    return reply.status(answer.status).send(answer.body);
  });
}
