/**
 * Warm states per install: one Sandbox per install id and version, created on first use and
 * replaced when a limit breach retired it. States of different installs share nothing.
 */
import { Sandbox } from "./sandbox.js";
import type { InvokeRequest, InvokeResult } from "./index.js";

export class SandboxPool {
  private readonly states = new Map<string, Sandbox>();

  /** `maxStates`: least recently used states beyond this are dropped. */
  constructor(private readonly maxStates = 256) {}

  /** The bundle of a given install id and version is assumed not to change; bump the version to reload. */
  invoke(req: InvokeRequest): Promise<InvokeResult> {
    const { sources, modules, ...call } = req;
    const key = `${req.ctx.install.id}@${req.ctx.install.version}`;
    let sandbox = this.states.get(key);
    if (sandbox) this.states.delete(key);
    if (!sandbox?.usable) sandbox = new Sandbox({ sources, ...(modules ? { modules } : {}) });
    this.states.set(key, sandbox);
    if (this.states.size > this.maxStates) this.states.delete(this.states.keys().next().value!);
    return sandbox.invoke(call);
  }

  /** Drops an install's warm state (e.g. after an upgrade or uninstall). */
  evict(installId: string, version: string): void {
    this.states.delete(`${installId}@${version}`);
  }

  get size(): number {
    return this.states.size;
  }
}
