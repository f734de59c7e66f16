/** `@ihub/runtime/test-support` (sources only, under the `ihub-source` condition): fixtures the tooling's tests share with the runtime's. */
export { loadKitSink } from "./test-integration.js";
