/** A SandboxHost for tests: records calls and answers from a small in-memory script. */
import { HostCallError, type CtxCall, type SandboxHost } from "../src/sandbox/index.js";

export type RecordedCall = { name: CtxCall; args: unknown[] };

export function recordingHost(answer?: (name: CtxCall, args: unknown[]) => unknown): SandboxHost & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    async call(name, args) {
      calls.push({ name, args });
      if (args[0] === "hang") return new Promise(() => {});
      if (args[0] === "denied") throw new HostCallError("PERMISSION_DENIED", "alias 'denied' is not declared in device.resources");
      if (args[0] === "broken") throw new Error("connection reset");
      return answer ? answer(name, args) : { status: 200, json: { echo: args } };
    },
  };
}

/** A bundle with one handler file whose `h` function has `body`. */
export function handlerBundle(body: string, file = "handlers/h.lua") {
  return { sources: { [file]: `local M = {}\nfunction M.h(ctx, input)\n${body}\nend\nreturn M\n` }, file, fn: "h" };
}

export const testCtx = (installId = "inst-1") => ({
  config: { region: "eu", nested: { list: [1, 2, 3] } },
  install: { id: installId, slug: "example", version: "1.0.0" },
  run: { id: "run-1", handler: "h" },
});
