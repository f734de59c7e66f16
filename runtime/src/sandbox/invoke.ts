import { Sandbox } from "./sandbox.js";
import type { InvokeRequest, InvokeResult } from "./index.js";

/** A cold invocation: a fresh state for this one call (use SandboxPool for warm reuse). */
export function invoke(req: InvokeRequest): Promise<InvokeResult> {
  const { sources, modules, ...call } = req;
  return new Sandbox({ sources, ...(modules ? { modules } : {}) }).invoke(call);
}
