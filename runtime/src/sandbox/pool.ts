/**
 * Warm states per install: one Sandbox per install id, version and bundle content, created on
 * first use and replaced when a limit breach retired it. States of different installs share nothing.
 */
import { bundleDigest } from "./bundle-digest.js";
import { Sandbox } from "./sandbox.js";
import type { InvokeRequest, InvokeResult } from "./index.js";

export class SandboxPool {
  private readonly states = new Map<string, { sandbox: Sandbox; digest: string }>();

  /** `maxStates`: least recently used states beyond this are dropped. */
  constructor(private readonly maxStates = 256) {}

  /**
   * A bundle whose sources differ from the warm state's (an edited bundle republished under the
   * same version, say) gets a new state in place of the old one.
   */
  invoke(req: InvokeRequest): Promise<InvokeResult> {
    const { sources, modules, ...call } = req;
    const bundle = { sources, ...(modules ? { modules } : {}) };
    const key = `${req.ctx.install.id}@${req.ctx.install.version}`;
    const digest = bundleDigest(bundle);
    let entry = this.states.get(key);
    if (entry) this.states.delete(key);
    if (!entry?.sandbox.usable || entry.digest !== digest) entry = { sandbox: new Sandbox(bundle), digest };
    this.states.set(key, entry);
    if (this.states.size > this.maxStates) this.states.delete(this.states.keys().next().value!);
    return entry.sandbox.invoke(call);
  }

  /** Drops an install's warm state (e.g. after an upgrade or uninstall). */
  evict(installId: string, version: string): void {
    this.states.delete(`${installId}@${version}`);
  }

  get size(): number {
    return this.states.size;
  }
}
