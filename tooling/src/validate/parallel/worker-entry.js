// Entry of a validation worker thread, in JavaScript because a thread starts without its parent's
// loader hooks. In the compiled CLI (dist/) the worker body beside this file is JavaScript; from
// the TypeScript sources, register tsx in this thread before loading the body.
import { existsSync } from "node:fs";

const compiled = new URL("./validate-worker.js", import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("./validate-worker.ts");
}
