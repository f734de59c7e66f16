/** `@ihub/runtime/capabilities`: the ctx capability table and the permission rules, which the validator checks statically. */
export { CAPABILITIES, ctxCallAt, type Capability, type CtxCall } from "./capability-table.js";
export { declaredResource, hasSubject, permissionDenials, type Denial, type Permission } from "./permissions.js";
