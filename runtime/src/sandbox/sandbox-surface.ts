/**
 * What a handler can reach by name in the sandbox: the globals and their members, and the
 * members of ctx. It is read from a real sandbox state by a probe handler, so the static checks
 * of `ihub validate` see exactly the set the libraries, the prelude and the capability table
 * build, never a copy kept beside them.
 */
import { DEFAULT_LIMITS } from "./limits.js";
import { invoke } from "./invoke.js";

/** A name's members when its value is a table, null when it is anything else. */
export type SurfaceNames = Readonly<Record<string, readonly string[] | null>>;

export type SandboxSurface = {
  globals: SurfaceNames;
  /** ctx's members; `config` is data the install supplies, so it is listed with no members. */
  ctx: SurfaceNames;
};

const PROBE = `
local function members(t)
  local out = {}
  for k in pairs(t) do if type(k) == "string" then out[#out + 1] = k end end
  table.sort(out)
  return out
end
local function names(t, data)
  local out = {}
  for k, v in pairs(t) do
    if type(k) == "string" then out[k] = (type(v) == "table" and not data[k]) and members(v) or false end
  end
  return out
end
return { probe = function(ctx) return { globals = names(_G, {}), ctx = names(ctx, { config = true }) } end }
`;

type ProbeOutput = { globals: Record<string, string[] | false>; ctx: Record<string, string[] | false> };

const asNames = (raw: Record<string, string[] | false>): SurfaceNames =>
  // An empty Lua table comes back as an empty array or object alike.
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === false ? null : Array.isArray(v) ? v : []]));

let surface: Promise<SandboxSurface> | undefined;

/** Read once per process; every later call shares the answer. */
export function sandboxSurface(): Promise<SandboxSurface> {
  surface ??= invoke({
    sources: { "probe.lua": PROBE },
    file: "probe.lua",
    fn: "probe",
    input: null,
    ctx: { config: {}, install: { id: "probe", slug: "probe", version: "0.0.0" }, run: { id: "probe", handler: "probe" } },
    limits: DEFAULT_LIMITS,
    host: { call: () => Promise.reject(new Error("the surface probe calls no ctx function")) },
  }).then((r) => {
    if (!r.ok) throw new Error(`sandbox surface probe failed: ${r.error.message}`);
    const out = r.output as ProbeOutput;
    return { globals: asNames(out.globals), ctx: asNames(out.ctx) };
  });
  return surface;
}
