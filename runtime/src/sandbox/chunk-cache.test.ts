import { describe, expect, it } from "vitest";
import { compiledChunk } from "./chunk-cache.js";
import { DEFAULT_LIMITS, invoke } from "./index.js";
import { recordingHost, testCtx } from "../../test-support/test-host.js";

describe("compiledChunk", () => {
  it("compiles text once into a binary chunk and hands out the same chunk again", () => {
    const first = compiledChunk("return 1", "@handlers/one.lua");
    expect(first).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(first!.subarray(0, 4))).toBe("\u001bLua");
    expect(compiledChunk("return 1", "@handlers/one.lua")).toBe(first);
    expect(compiledChunk("return 1", "@handlers/two.lua")).not.toBe(first);
  });

  it("has no chunk for text that does not compile, binary chunks passed as text included", () => {
    expect(compiledChunk("return (", "@handlers/bad.lua")).toBeNull();
    const binary = new TextDecoder("latin1").decode(compiledChunk("return 1", "@handlers/one.lua")!);
    expect(compiledChunk(binary, "@handlers/disguised.lua")).toBeNull();
  });
});

describe("bundle files in the sandbox", () => {
  const run = (sources: Record<string, string>) => invoke({ sources, file: "handlers/h.lua", fn: "h", ctx: testCtx(), input: {}, limits: DEFAULT_LIMITS, host: recordingHost() });

  it("a handler file that is a binary chunk is refused, never undumped", async () => {
    const binary = String.fromCharCode(...compiledChunk("local M = {} function M.h() return 'ran' end return M", "@handlers/h.lua")!);
    expect(await run({ "handlers/h.lua": binary })).toMatchObject({ ok: false, error: { kind: "internal", message: expect.stringMatching(/attempt to load a binary chunk \(mode is .t.\)/) } });
  });

  it("a precompiled file keeps its name and lines in errors", async () => {
    const r = await run({ "handlers/h.lua": "local M = {}\nfunction M.h()\n  local x = nil\n  return x.y\nend\nreturn M\n" });
    expect(r).toMatchObject({ ok: false, error: { kind: "internal", file: "handlers/h.lua", line: 4 } });
  });
});
