import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, invoke } from "../sandbox/index.js";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";
import { CAPABILITIES, ctxCallAt, ctxCalls, luaPaths } from "./capability-table.js";
import { CTX_REFERENCE_FILE, renderCtxReference } from "./ctx-reference.js";

describe("the capability table", () => {
  it(`is what ${CTX_REFERENCE_FILE} says (run \`npm run docs:ctx\` after changing it)`, async () => {
    expect(await readFile(new URL(`../../../${CTX_REFERENCE_FILE}`, import.meta.url), "utf8")).toBe(renderCtxReference());
  });

  const bindings = ctxCalls.flatMap((call) => Object.entries(luaPaths(call)).map(([path, lead]) => ({ call, path, lead })));

  it.each(bindings)("binds ctx.$path in the sandbox to the host call $call, with the table's arguments", async ({ call, path, lead }) => {
    // One argument more than the table lists: the binding passes exactly the listed ones.
    const params = CAPABILITIES[call].args.map((_, i) => `"a${i}"`);
    const { sources, file, fn } = handlerBundle(`return ctx.${path}(${[...params, '"extra"'].join(", ")})`);
    const host = recordingHost(() => "answered");
    const r = await invoke({ sources, file, fn, input: {}, ctx: testCtx(), limits: DEFAULT_LIMITS, host });
    expect(r).toMatchObject({ ok: true, output: "answered" });
    expect(host.calls).toEqual([{ name: call, args: [...lead, ...params.map((p) => JSON.parse(p))] }]);
    expect(ctxCallAt(path)).toBe(call);
  });

  it("binds nothing else under ctx that reaches the host", async () => {
    const { sources, file, fn } = handlerBundle(`
      local found = {}
      local function scan(t, prefix)
        for k, v in pairs(t) do
          if type(v) == "function" then found[#found + 1] = prefix .. k
          elseif type(v) == "table" and prefix == "" and k ~= "config" and k ~= "install" and k ~= "run" then scan(v, k .. ".") end
        end
      end
      scan(ctx, "")
      table.sort(found)
      return found`);
    const r = await invoke({ sources, file, fn, input: {}, ctx: testCtx(), limits: DEFAULT_LIMITS, host: recordingHost() });
    const json = ["json.array", "json.decode", "json.encode"];
    expect(r).toMatchObject({ ok: true, output: [...json, ...bindings.map((b) => b.path)].sort() });
  });
});
