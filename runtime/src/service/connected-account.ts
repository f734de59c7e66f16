/**
 * The external account an install is connected to, as the manifest's `connectedAccount` handler
 * reports it. Asked after install, after a credential change and after an OAuth connect; the
 * answer (or why there is none) is kept and shown on the install. A failure here never fails the
 * install or the change that triggered it: it is what the install shows.
 */
import { z } from "zod";
import type { FastifyBaseLogger } from "fastify";
import type { Manifest } from "../manifest/manifest-schema.js";
import type { AccountCheck } from "../service-store/lifecycle-store.js";
import type { InstallRecord, ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import { errorCode } from "../executor/execute.js";
import type { RunExecutor } from "./run-executor.js";

const externalAccount = z
  .object({
    id: z.union([z.string().min(1).max(200), z.number()]).transform(String).describe("The account's id at the external service."),
    name: z.string().min(1).max(200),
    email: z.string().max(320).optional(),
    avatarUrl: z.url().max(2048).optional(),
  })
  .describe("The external account the install acts as.");

/** What the ref of the handler's run says it was for. */
const ACCOUNT_RUN_REF = "connected-account";

type Deps = { store: ServiceStore; runner: RunExecutor; clock: Clock; log: FastifyBaseLogger };

export function createAccountChecker(deps: Deps) {
  async function save(install: InstallRecord, check: Omit<AccountCheck, "checkedAt">): Promise<void> {
    await deps.store.lifecycle.setAccountCheck(install.id, { ...check, checkedAt: deps.clock.now() });
  }

  return async function checkAccount(install: InstallRecord, manifest: Manifest): Promise<void> {
    const handler = manifest.connectedAccount?.handler;
    // Without a credential the handler can only fail; an install waiting for its OAuth connect is asked after it.
    if (!handler || (manifest.auth.type !== "none" && install.credentialFields.length === 0)) return;
    try {
      const { run, result } = await deps.runner.run({ install, handler, input: null, trigger: "rpc", triggerRef: ACCOUNT_RUN_REF, attempt: 1, lastAttempt: true });
      if (!result.ok) return save(install, { account: null, error: { kind: result.error.kind, code: errorCode(result.error), message: result.error.message }, runId: run.id });
      const parsed = externalAccount.safeParse(result.output);
      if (parsed.success) return save(install, { account: parsed.data, error: null, runId: run.id });
      const issue = parsed.error.issues[0]!;
      return save(install, { account: null, error: { kind: "validation", code: "ACCOUNT_INVALID", message: `handlers.${handler} returned no account: /${issue.path.join("/")} ${issue.message}` }, runId: run.id });
    } catch (error) {
      deps.log.warn({ installId: install.id, err: error }, "connected account check failed");
      return save(install, { account: null, error: { kind: "internal", code: (error as { code?: string }).code ?? "INTERNAL", message: (error as Error).message }, runId: null });
    }
  };
}

export type AccountChecker = ReturnType<typeof createAccountChecker>;
