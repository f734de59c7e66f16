import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";
import { DEFAULT_LIMITS, invoke } from "./index.js";
import { SANDBOX_FUNCTIONS, SANDBOX_LIBRARIES, SANDBOX_VALUES } from "./sandbox-globals.js";

describe("the sandbox's globals", () => {
  it("are exactly the listed base functions, values and libraries", async () => {
    const { sources, file, fn } = handlerBundle(`
      local names = {}
      for k in pairs(_G) do names[#names + 1] = k end
      table.sort(names)
      return names`);
    const r = await invoke({ sources, file, fn, input: {}, ctx: testCtx(), limits: DEFAULT_LIMITS, host: recordingHost() });
    expect(r).toMatchObject({ ok: true, output: [...Object.keys(SANDBOX_FUNCTIONS), ...Object.keys(SANDBOX_VALUES), ...SANDBOX_LIBRARIES].sort() });
  });

  it("are what .luarc.json tells the Lua language server: only the opened libraries enabled", async () => {
    const luarc = JSON.parse(await readFile(new URL("../../../.luarc.json", import.meta.url), "utf8"));
    const enabled = Object.entries(luarc["runtime.builtin"]).filter(([, v]) => v === "enable").map(([k]) => k);
    expect(enabled.sort()).toEqual([...SANDBOX_LIBRARIES].sort());
    expect(luarc["runtime.builtin"]).toMatchObject({ basic: "disable", io: "disable", os: "disable", debug: "disable", package: "disable" });
  });
});
