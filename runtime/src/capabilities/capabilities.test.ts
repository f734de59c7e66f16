import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { httpArgsSchema } from "../device/http-call.js";
import { DEFAULT_LIMITS, invoke } from "../sandbox/index.js";
import { handlerBundle, recordingHost, testCtx } from "../../test-support/test-host.js";
import { CAPABILITIES, ctxCallAt, ctxCalls, luaPaths, type CtxCall } from "./capability-table.js";
import { CTX_JSON, CTX_VALUES } from "./ctx-values.js";
import { GENERATED_FILES, REGENERATE_COMMAND } from "./generated-files.js";
import { LUALS_CTX_FILE } from "./luals-definitions.js";

const repoFile = (path: string) => readFile(new URL(`../../../${path}`, import.meta.url), "utf8");

/** ctx as a real sandbox builds it: every path of a function or value, the invocation's data (config, install, run) by name. */
async function scanCtx(): Promise<string[]> {
  const { sources, file, fn } = handlerBundle(`
    local found = {}
    for k, v in pairs(ctx) do
      if k == "config" or k == "install" or k == "run" then found[#found + 1] = k
      elseif type(v) == "table" then
        for k2, v2 in pairs(v) do found[#found + 1] = k .. "." .. k2 end
      else found[#found + 1] = k end
    end
    table.sort(found)
    return found`);
  const r = await invoke({ sources, file, fn, input: {}, ctx: testCtx(), limits: DEFAULT_LIMITS, host: recordingHost() });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.output as string[];
}

describe("the files generated from the capability table", () => {
  it.each(GENERATED_FILES.map((f) => f.path))(`%s is what the table says (run \`${REGENERATE_COMMAND}\` after changing it)`, async (path) => {
    const committed = await repoFile(path).catch(() => "");
    const expected = GENERATED_FILES.find((f) => f.path === path)!.render();
    if (committed !== expected) expect.fail(`${path} differs from the capability table: run \`${REGENERATE_COMMAND}\` and commit the result`);
  });

  it("the LuaLS definitions compile as Lua under the sandbox's own parser", async () => {
    for (const path of GENERATED_FILES.map((f) => f.path).filter((p) => p.endsWith(".lua"))) {
      const { sources, file, fn } = handlerBundle(`local f, err = load(input.text, "defs") return { ok = f ~= nil, err = err }`);
      const r = await invoke({ sources, file, fn, input: { text: await repoFile(path) }, ctx: testCtx(), limits: DEFAULT_LIMITS, host: recordingHost() });
      expect(r, path).toMatchObject({ ok: true, output: { ok: true } });
    }
  });

  it("the LuaLS definitions declare exactly what a real sandbox puts under ctx", async () => {
    const defs = await repoFile(LUALS_CTX_FILE);
    const ctxClass = defs.slice(defs.indexOf("---@class ihub.Ctx\n"), defs.indexOf("local ctx = {}"));
    const fieldsOfCtx = [...ctxClass.matchAll(/^---@field (\w+)\?? (\S+)/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
    const groups = new Set(fieldsOfCtx.filter((f) => f.type.startsWith("ihub.Ctx.")).map((f) => f.name));
    const declared = [
      ...fieldsOfCtx.filter((f) => !groups.has(f.name)).map((f) => f.name),
      ...[...defs.matchAll(/^function (\w+)\.(\w+)\(/gm)].map((m) => (m[1] === "ctx" ? m[2]! : `${m[1]}.${m[2]}`)),
      "json.null",
    ];
    expect(declared.sort()).toEqual(await scanCtx());
  });

  it("documents every field ctx.device.http accepts, and no other", () => {
    const request = CAPABILITIES["device.http"].args[1];
    expect(request.fields.map((f) => f.name).sort()).toEqual(Object.keys(httpArgsSchema.shape).sort());
  });
});

describe("the capability table", () => {
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
    const json = ["json.array", "json.decode", "json.encode", "json.null"];
    expect(await scanCtx()).toEqual([...json, ...Object.keys(CTX_VALUES), ...bindings.map((b) => b.path)].sort());
  });

  // Replies shaped as the host gives them, so each example runs to its end.
  const replies: Record<CtxCall, unknown> = {
    "device.http": { status: 200, headers: { "content-type": "application/json" }, body: '{"items":[]}', json: { items: [] } },
    "device.sql": [{ id: 1, name: "one" }],
    "integration.cacheGet": null,
    "integration.cacheSet": null,
    "integration.cacheDelete": true,
    "integration.containersGet": { status: "paid" },
    "integration.containersSet": null,
    "integration.containersDelete": true,
    "integration.containersList": { items: [{ key: "2026-01", value: {} }], cursor: null },
    log: null,
    emit: null,
    "billing.charge": null,
    "cache.get": "eu",
    "cache.set": null,
    "cache.delete": true,
    sql: [{ name: "Ada" }],
    graphql: { status: 200, data: { customer: { name: "Ada" } }, errors: null },
  };
  const input = { owner: "ada", orderId: "o-1", customerId: "c-1" };

  it.each(ctxCalls)("the example of %s runs in the sandbox and makes that call", async (call) => {
    const { sources, file, fn } = handlerBundle(CAPABILITIES[call].example);
    const host = recordingHost((name) => replies[name]);
    const r = await invoke({ sources, file, fn, input, ctx: testCtx(), limits: DEFAULT_LIMITS, host });
    expect(r).toMatchObject({ ok: true });
    expect(host.calls.map((c) => c.name)).toContain(call);
  });

  it.each([...Object.entries(CTX_VALUES), ...Object.entries(CTX_JSON)])("the example of ctx %s runs in the sandbox", async (_name, { example }) => {
    const { sources, file, fn } = handlerBundle(example);
    const r = await invoke({ sources, file, fn, input, ctx: testCtx(), limits: DEFAULT_LIMITS, host: recordingHost(() => null) });
    expect(r).toMatchObject({ ok: true });
  });
});
