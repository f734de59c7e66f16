/**
 * How an rpc result answers over HTTP: the caller's mistakes and the handler's expected errors
 * are 4xx, limits and failures of the integration or the runtime are 5xx. Every error carries
 * the run id so the caller can read the run's logs.
 */
import { errorCode, type ExecutionResult } from "../executor/execute.js";
import { errorPayload } from "./error-handler.js";

export type RpcAnswer = { status: number; body: unknown };

export function rpcAnswer(result: ExecutionResult): RpcAnswer {
  if (result.ok) return { status: 200, body: { output: result.output ?? null, runId: result.runId } };
  const e = result.error;
  const code = errorCode(e);
  const answer = (status: number, hint: string, pointer?: string) => ({ status, body: { ...errorPayload({ code, message: e.message, hint, pointer }), runId: result.runId } });
  switch (e.kind) {
    case "validation":
      if (e.code === "INPUT_INVALID") return answer(400, "Fix the input to match the handler's inputSchema.", `/input${e.issues[0]?.pointer === "/" ? "" : (e.issues[0]?.pointer ?? "")}`);
      if (e.code === "CONFIG_INVALID") return answer(409, "The install's config no longer matches; PATCH it.");
      return answer(502, "The handler returned output that breaks its outputSchema: a bug in the integration.");
    case "expected":
      return answer(422, "The handler reported this error; the run's logs say more.");
    case "limit":
      return answer(e.limit === "timeoutMs" ? 504 : 500, `The handler hit its ${e.limit} limit; the run is recorded with limitHit.`);
    case "internal":
      return answer(500, "The handler failed; the run's logs and error have the details.");
  }
}
