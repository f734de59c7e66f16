/** `@ihub/runtime/sqlite`: the SQLite device transport, apart from the main entry because it loads better-sqlite3's native addon. */
export { sqliteTransport, type SqlBinding } from "./device/sqlite-transport.js";
