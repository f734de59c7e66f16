/** What `ctx.billing.charge` accepts: the limits the capability table quotes and the host enforces. */
import { CtxError } from "./ctx-error.js";

export const BILLING_LIMITS = { maxUsd: 1000, noteChars: 200, chargesPerRun: 100 } as const;

export function billingCharge(usd: unknown, note: unknown): { usd: number; note: string | null } {
  if (typeof usd !== "number" || !Number.isFinite(usd) || usd < 0 || usd > BILLING_LIMITS.maxUsd) {
    throw new CtxError("INVALID_ARGUMENT", `ctx.billing.charge: usd must be a number from 0 to ${BILLING_LIMITS.maxUsd}`);
  }
  if (note !== undefined && note !== null && (typeof note !== "string" || note.length > BILLING_LIMITS.noteChars)) {
    throw new CtxError("INVALID_ARGUMENT", `ctx.billing.charge: note must be a string of at most ${BILLING_LIMITS.noteChars} characters`);
  }
  return { usd, note: typeof note === "string" ? note : null };
}
