/**
 * What a Lua state keeps alive between invocations, estimated by walking everything reachable
 * from its registry (globals, loaded modules, handler upvalues) and the per-type metatables.
 * fengari allocates through V8 with no allocator hook, so this walk is the only per-state
 * measure; the sizes are rough JS object sizes, in the same spirit as the budget's charges.
 */
import type { LuaState } from "./fengari.js";

// fengari's internal shapes, as far as the walk reads them.
type TValue = { type: number; value: unknown };
type Table = { strong: Map<unknown, { key: TValue; value: TValue }>; metatable: Table | null };
type Proto = { k: TValue[]; p: Proto[]; code: unknown[] };
type LClosure = { p: Proto; upvals: TValue[] };
type CClosure = { upvalue: TValue[] };
type Thread = { stack: TValue[] | null; top: number };
type Global = { l_registry: TValue; mt: (Table | null | undefined)[] };

const TSTRING = 4;
const TTABLE = 5;
const TFUNCTION = 6;
const TTHREAD = 8;
const LUA_CLOSURE = TFUNCTION;
const C_CLOSURE = TFUNCTION | (2 << 4);

const OBJECT = 32;
const ENTRY = 48;
const SLOT = 16;
const THREAD = 2048;

export function retainedBytes(L: LuaState): number {
  const g = (L as unknown as { l_G: Global }).l_G;
  const seen = new Set<unknown>();
  const values: TValue[] = [g.l_registry];
  const tables: Table[] = g.mt.filter((t): t is Table => !!t);
  const protos: Proto[] = [];
  let bytes = 0;
  const visit = (v: TValue | undefined): void => {
    if (v && v.value !== null && typeof v.value === "object" && !seen.has(v.value)) values.push(v);
  };
  for (;;) {
    const table = tables.pop();
    if (table) {
      if (seen.has(table)) continue;
      seen.add(table);
      bytes += OBJECT + table.strong.size * ENTRY;
      if (table.metatable) tables.push(table.metatable);
      for (const entry of table.strong.values()) {
        visit(entry.key);
        visit(entry.value);
      }
      continue;
    }
    const proto = protos.pop();
    if (proto) {
      if (seen.has(proto)) continue;
      seen.add(proto);
      bytes += OBJECT + proto.code.length * SLOT + proto.k.length * SLOT;
      proto.k.forEach(visit);
      protos.push(...proto.p);
      continue;
    }
    const v = values.pop();
    if (!v) return bytes;
    const o = v.value;
    if (seen.has(o)) continue;
    switch (v.type & 0x0f) {
      case TSTRING:
        seen.add(o);
        bytes += OBJECT + (o as { realstring: Uint8Array }).realstring.length;
        break;
      case TTABLE:
        tables.push(o as Table);
        break;
      case TFUNCTION:
        seen.add(o);
        if (v.type === LUA_CLOSURE) {
          const cl = o as LClosure;
          bytes += OBJECT + cl.upvals.length * SLOT;
          cl.upvals.forEach(visit);
          protos.push(cl.p);
        } else if (v.type === C_CLOSURE) {
          const cl = o as CClosure;
          bytes += OBJECT + cl.upvalue.length * SLOT;
          cl.upvalue.forEach(visit);
        }
        break;
      case TTHREAD: {
        seen.add(o);
        const th = o as Thread;
        bytes += THREAD;
        for (let i = 0; th.stack && i < th.top; i++) visit(th.stack[i]);
        break;
      }
      default:
        seen.add(o);
        bytes += OBJECT;
    }
  }
}
