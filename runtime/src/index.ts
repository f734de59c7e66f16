/**
 * `@ihub/runtime`: running an integration's handlers — loading it, the Lua sandbox and its host,
 * the device transports, install storage and redaction. The SQLite transport has its own entry
 * (`@ihub/runtime/sqlite`) so that loading the executor does not load the native addon.
 * The HTTP service has its own entry too (`@ihub/runtime/service`), so the CLI's other verbs
 * never load a server.
 */
export { execute, errorCode, type ExecuteOptions, type ExecutionResult } from "./executor/execute.js";
export { ExecutorError } from "./executor/executor-error.js";
export { loadIntegration, type LoadedIntegration } from "./executor/load-integration.js";
export { DEFAULT_LIMITS, invoke, SandboxPool, type SandboxHost } from "./sandbox/index.js";
export { createSandboxHost } from "./host/sandbox-host.js";
export { emptyRecord, type DeviceRequestRecord } from "./host/invocation-record.js";
export { DeviceError } from "./device/device-error.js";
export { fillPathTemplate } from "./device/path-template.js";
export { checkSchema } from "./executor/json-schema.js";
export type { HttpExchange, HttpReply, HttpTransport } from "./device/http-exchange.js";
export { collapseSql, type SqlExchange, type SqlRow, type SqlTransport } from "./device/sql-call.js";
export { liveHttpTransport, type HttpBinding } from "./device/live-http-transport.js";
export { memoryStorage } from "./storage/memory-storage.js";
export { systemClock, type Clock, type InstallStore } from "./storage/install-store.js";
export { DEFAULT_TEST_CLOCK, fakeClock, type FakeClock } from "./storage/fake-clock.js";
export { assertContainerValue } from "./storage/container-schemas.js";
export { createRedactor } from "./redact/redactor.js";
