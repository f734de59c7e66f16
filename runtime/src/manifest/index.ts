/** `@ihub/runtime/manifest`: the integration.json and module.json schemas and the one manifest reader. */
export * from "./manifest-schema.js";
export * from "./module-schema.js";
export * from "./parse-manifest.js";
export * from "./retention-policy.js";
