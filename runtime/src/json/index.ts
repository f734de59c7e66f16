/** `@ihub/runtime/json`: JSON pointers, escaped one way everywhere. */
export * from "./json-pointer.js";
