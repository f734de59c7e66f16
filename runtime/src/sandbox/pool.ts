/**
 * Warm states per install: one Sandbox per install id, version and bundle content, created on
 * first use and replaced when a limit breach retired it. States of different installs share nothing.
 *
 * What the states retain is bounded too: a state that grew past `stateBytes` (a handler that
 * keeps a big table in a global, say) is dropped after the invocation, and least recently used
 * states go while the pool's total is above `totalBytes`. Sizes are retainedBytes() estimates.
 */
import { bundleDigest } from "./bundle-digest.js";
import { retainedBytes } from "./retained-size.js";
import { Sandbox } from "./sandbox.js";
import type { InvokeRequest, InvokeResult, InvokeStats } from "./index.js";

export type PoolOptions = {
  /** Least recently used states beyond this many are dropped. */
  maxStates: number;
  /** A state estimated above this after an invocation is dropped; the next one gets a fresh state. */
  stateBytes: number;
  /** Least recently used states are dropped while the estimates add up to more than this. */
  totalBytes: number;
};

export const DEFAULT_POOL: PoolOptions = { maxStates: 256, stateBytes: 4 * 1024 * 1024, totalBytes: 512 * 1024 * 1024 };

/**
 * Bytes an instruction may add to a state without a budget charge (closures, upvalues): a bound
 * on growth between two walks, so a state is walked only when it may have crossed `stateBytes`.
 */
const BYTES_PER_INSTRUCTION = 32;

type Entry = { sandbox: Sandbox; digest: string; bytes: number; unmeasured: number };

export class SandboxPool {
  private readonly states = new Map<string, Entry>();
  private readonly options: PoolOptions;
  private total = 0;

  constructor(options: Partial<PoolOptions> = {}) {
    this.options = { ...DEFAULT_POOL, ...options };
  }

  /**
   * A bundle whose sources differ from the warm state's (an edited bundle republished under the
   * same version, say) gets a new state in place of the old one.
   */
  async invoke(req: InvokeRequest): Promise<InvokeResult> {
    const { sources, modules, ...call } = req;
    const bundle = { sources, ...(modules ? { modules } : {}) };
    const key = `${req.ctx.install.id}@${req.ctx.install.version}`;
    const digest = bundleDigest(bundle);
    let entry = this.states.get(key);
    if (entry) this.remove(key);
    if (!entry?.sandbox.usable || entry.digest !== digest) {
      const sandbox = new Sandbox(bundle);
      entry = { sandbox, digest, bytes: retainedBytes(sandbox.state), unmeasured: 0 };
    }
    this.add(key, entry);
    const result = await entry.sandbox.invoke(call);
    if (this.states.get(key) === entry) this.account(key, entry, result.stats);
    return result;
  }

  /** Drops an install's warm state (e.g. after an upgrade or uninstall). */
  evict(installId: string, version: string): void {
    this.remove(`${installId}@${version}`);
  }

  get size(): number {
    return this.states.size;
  }

  /** The pool's retained bytes, as estimated after each state's last measurement. */
  get retained(): number {
    return this.total;
  }

  private account(key: string, entry: Entry, stats: InvokeStats): void {
    entry.unmeasured += stats.memoryBytes + stats.instructions * BYTES_PER_INSTRUCTION;
    if (entry.bytes + entry.unmeasured <= this.options.stateBytes) return;
    this.total -= entry.bytes;
    entry.bytes = retainedBytes(entry.sandbox.state);
    entry.unmeasured = 0;
    this.total += entry.bytes;
    if (entry.bytes > this.options.stateBytes) this.remove(key);
    this.trim();
  }

  private add(key: string, entry: Entry): void {
    this.states.set(key, entry);
    this.total += entry.bytes;
    this.trim();
  }

  private trim(): void {
    while (this.states.size > this.options.maxStates || (this.total > this.options.totalBytes && this.states.size > 0)) {
      this.remove(this.states.keys().next().value!);
    }
  }

  private remove(key: string): void {
    const entry = this.states.get(key);
    if (!entry) return;
    this.states.delete(key);
    this.total -= entry.bytes;
  }
}
