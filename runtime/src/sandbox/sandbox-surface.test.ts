import { describe, expect, it } from "vitest";
import { ctxCalls, luaPaths } from "../capabilities/capability-table.js";
import { DEFAULT_LIMITS, invoke } from "./index.js";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";
import { sandboxSurface } from "./sandbox-surface.js";

describe("the sandbox surface", () => {
  it("lists the globals the sandbox keeps and none it closes", async () => {
    const { globals } = await sandboxSurface();
    for (const name of ["pairs", "ipairs", "pcall", "error", "tostring", "setmetatable", "require", "load", "_G", "string", "table", "math", "utf8", "coroutine"]) expect(globals).toHaveProperty(name);
    for (const name of ["print", "io", "os", "debug", "package", "dofile", "loadfile", "collectgarbage"]) expect(globals).not.toHaveProperty(name);
    expect(globals.string).toContain("format");
    expect(globals.string).not.toContain("dump");
    expect(globals.pairs).toBeNull();
  });

  it("lists every ctx function of the capability table at its Lua path, and config as data", async () => {
    const { ctx } = await sandboxSurface();
    for (const call of ctxCalls) {
      for (const path of Object.keys(luaPaths(call))) {
        const [top, member] = path.split(".") as [string, string | undefined];
        if (member === undefined) expect(ctx[top]).toBeNull();
        else expect(ctx[top]).toContain(member);
      }
    }
    expect(ctx.config).toBeNull();
    expect(ctx.json).toEqual(["array", "decode", "encode", "null"]);
  });

  it("agrees with what a handler finds in a fresh sandbox", async () => {
    const { globals } = await sandboxSurface();
    const { sources, file, fn } = handlerBundle(`local out = {} for k in pairs(_G) do out[#out + 1] = k end table.sort(out) return out`);
    const r = await invoke({ sources, file, fn, input: {}, ctx: testCtx(), limits: DEFAULT_LIMITS, host: recordingHost() });
    expect(r).toMatchObject({ ok: true, output: Object.keys(globals).sort() });
  });
});
