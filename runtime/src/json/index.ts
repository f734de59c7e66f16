/** `@ihub/runtime/json`: JSON pointers, escaped one way everywhere; the one nesting limit and the JSON reader that applies it. */
export * from "./json-pointer.js";
export * from "./nesting-depth.js";
export * from "./read-json.js";
export * from "./text-position.js";
