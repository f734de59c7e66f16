/** `@ihub/runtime/test-support` (sources only, under the `ihub-source` condition): fixtures the tooling's tests and benches share with the runtime's. */
export { loadKitSink } from "./test-integration.js";
export { notesManifest } from "./service/notes-integration.js";
export { buildTestRegistry } from "./service/test-registry.js";
export { MiB, settledRss } from "./settled-rss.js";
export { runtimeProcesses, eventually, type RuntimeProcess } from "./service/runtime-process.js";
export { startThrowawayPostgres, type ThrowawayPostgres } from "./throwaway-postgres.js";
export { startFakeApi, type FakeApi } from "./service/test-runtime.js";
