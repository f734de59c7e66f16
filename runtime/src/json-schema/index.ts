/** `@ihub/runtime/json-schema`: the one ajv set-up for embedded JSON Schemas, shared by the runtime, the harness and `ihub validate`. */
export * from "./annotation-keywords.js";
export * from "./compiled-schema.js";
export * from "./standard-formats.js";
