/** The limits of one invocation: sandbox defaults, then the handler's timeoutMs, then the install's overrides. */
import type { Handler } from "../manifest/manifest-schema.js";
import { DEFAULT_LIMITS } from "../sandbox/limits.js";
import type { SandboxLimits } from "../sandbox/index.js";

export function resolveLimits(handler: Handler, installOverrides: Partial<SandboxLimits> = {}): SandboxLimits {
  return { ...DEFAULT_LIMITS, ...(handler.timeoutMs !== undefined ? { timeoutMs: handler.timeoutMs } : {}), ...installOverrides };
}
