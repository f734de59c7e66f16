/** `@ihub/runtime/layout`: where an integration's files live, in a repository and in a bundle. */
export * from "./integration-layout.js";
