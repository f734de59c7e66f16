/**
 * Per-invocation limits: the budget the patched fengari charges, the count hook that enforces
 * it, and the messages of each breach.
 */
import v8 from "node:v8";
import { lua, type Budget, type Hook, type LuaState } from "./fengari.js";
import type { SandboxLimits } from "./index.js";

export const DEFAULT_LIMITS: SandboxLimits = {
  instructions: 50_000_000,
  timeoutMs: 5_000,
  memoryBytes: 32 * 1024 * 1024,
  deviceCalls: 50,
  outputBytes: 1024 * 1024,
  logBytes: 64 * 1024,
  loadBytes: 256 * 1024,
};

/**
 * Instructions charged per byte of a chunk given to `load`, before it is parsed: fengari's
 * parser runs outside the count hook. Parsing a byte took the time of ~9 VM instructions
 * (Node 20: 167 ns a byte, 18 ns an instruction); 16 leaves room, so a loop of loads runs out of
 * budget before it runs out of wall clock.
 */
export const LOAD_STEPS_PER_BYTE = 16;

/** Instructions between two hook calls: checks cost ~1 % at this interval. */
export const HOOK_INTERVAL = 1000;
/** Heap statistics are read every this many hook calls (about every 60k instructions). */
const HEAP_EVERY = 64;
/** Above this share of V8's heap limit the running invocation is stopped, whatever its own budget says. */
const HEAP_CEILING = 0.8;
/**
 * Longest stretch a handler computes without giving the event loop a turn. Lua runs on the
 * host's thread, so without this a handler that never does I/O would hold every other
 * invocation (and the service's HTTP server) until its own limit.
 */
export const SLICE_MS = 2;

export type LimitName = keyof SandboxLimits;

export function limitMessage(limit: LimitName, limits: SandboxLimits): string {
  switch (limit) {
    case "instructions":
      return `instruction budget of ${limits.instructions} exceeded`;
    case "timeoutMs":
      return `timeout of ${limits.timeoutMs} ms exceeded`;
    case "memoryBytes":
      return `memory budget of ${limits.memoryBytes} bytes exceeded`;
    case "deviceCalls":
      return `device call limit of ${limits.deviceCalls} exceeded`;
    case "outputBytes":
      return `output of more than ${limits.outputBytes} bytes`;
    case "logBytes":
      return `log volume of ${limits.logBytes} bytes exceeded`;
    case "loadBytes":
      return `chunk given to load larger than ${limits.loadBytes} bytes`;
  }
}

/** The accounting of one running invocation. */
export class Meter {
  readonly budget: Budget;
  readonly deadline: number;
  readonly started = performance.now();
  tripped: LimitName | undefined;
  deviceCalls = 0;
  logBytes = 0;
  outputBytes = 0;
  /** The invocation's own coroutine: the only thread the hook may suspend (a user coroutine would receive the yield itself). */
  thread: LuaState | undefined;
  /** When the current resume began. */
  sliceStart = 0;
  /** Set by the hook when it suspended the thread to let the event loop run. */
  preempted = false;
  private ticks = 0;

  constructor(
    readonly limits: SandboxLimits,
    deadline?: number,
  ) {
    this.budget = { steps: limits.instructions, bytes: limits.memoryBytes };
    this.deadline = deadline ?? this.started + limits.timeoutMs;
  }

  /** Returns the breached limit, checking the cheap counters first. */
  check(): LimitName | undefined {
    if (this.tripped) return this.tripped;
    if (this.budget.steps < 0) this.tripped = "instructions";
    else if (this.budget.bytes < 0) this.tripped = "memoryBytes";
    else if (performance.now() > this.deadline) this.tripped = "timeoutMs";
    else if (++this.ticks % HEAP_EVERY === 0 && heapNearlyFull()) this.tripped = "memoryBytes";
    return this.tripped;
  }

  remainingMs(): number {
    return this.deadline - performance.now();
  }
}

function heapNearlyFull(): boolean {
  const h = v8.getHeapStatistics();
  return h.used_heap_size > h.heap_size_limit * HEAP_CEILING;
}

/**
 * The count hook of a state. Once a limit is breached it raises on every instruction of the
 * thread (count 1), so a pcall that catches the error cannot run even one more loop turn.
 */
export function countHook(current: () => Meter | undefined): Hook {
  const hook: Hook = (L: LuaState) => {
    const meter = current();
    if (!meter) return;
    meter.budget.steps -= HOOK_INTERVAL;
    const limit = meter.check();
    if (!limit) {
      if (L === meter.thread && performance.now() - meter.sliceStart > SLICE_MS && lua.lua_isyieldable(L)) {
        meter.preempted = true;
        lua.lua_yield(L, 0);
      }
      return;
    }
    raiseBreach(L, hook, meter, limit);
  };
  return hook;
}

/**
 * Raises the breach of `limit` in `L` and makes the hook raise it again on every instruction,
 * so a pcall that catches the error cannot run even one more loop turn.
 */
export function raiseBreach(L: LuaState, hook: Hook, meter: Meter, limit: LimitName): never {
  meter.tripped = limit;
  lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, 1);
  // A bare message: luaL_error would concatenate a position, an allocation the spent budget may refuse.
  lua.lua_pushliteral(L, limitMessage(limit, meter.limits));
  return lua.lua_error(L);
}

/** Charges a chunk of `size` bytes about to be parsed by `load`; raises the breach when it is too large or the budget is spent. */
export function chargeLoad(L: LuaState, hook: Hook, meter: Meter, size: number): void {
  if (size > meter.limits.loadBytes) raiseBreach(L, hook, meter, "loadBytes");
  meter.budget.steps -= size * LOAD_STEPS_PER_BYTE;
  const limit = meter.check();
  if (limit) raiseBreach(L, hook, meter, limit);
}
