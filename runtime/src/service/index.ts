/**
 * `@ihub/runtime/service`: the runtime HTTP service (`ihub runtime start`), its credential vault
 * and its store. An entry of its own so that no other verb loads a server.
 */
export { DEFAULT_PORT, rotateRuntimeKey, startRuntime, type StartOptions } from "./start-runtime.js";
export { createRuntimeApp, type RuntimeApp } from "./runtime-app.js";
export { ServiceError } from "./service-error.js";
export { createVault, vaultKeyId } from "../vault/credential-vault.js";
export { VaultError } from "../vault/vault-error.js";
export { sqliteServiceStore } from "../service-store/sqlite-service-store.js";
