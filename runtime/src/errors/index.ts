/** `@ihub/runtime/errors`: the coded-error base every layer's boundary errors extend, and its one rendering. */
export * from "./coded-error.js";
