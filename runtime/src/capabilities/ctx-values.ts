/**
 * The parts of ctx the sandbox fills itself, without a host call (the prelude's PRELUDE_CTX_FIELDS):
 * described here for docs/ctx.md and the LuaLS definitions, as the capability table describes
 * the calls that reach the host. A test scans a real sandbox's ctx against both.
 */
import type { CtxArgument, CtxField, CtxReply } from "./capability-table.js";
import type { PRELUDE_CTX_FIELDS } from "./lua-bindings.js";

export type CtxValue = CtxReply & { description: string; example: string };

export type CtxJsonFunction = { args: readonly CtxArgument[]; returns: CtxReply; description: string; errors: string; example: string };

const field = (name: string, type: string, description: string): CtxField => ({ name, type, description });

export const CTX_VALUES = {
  config: {
    type: "table<string, any>",
    description: "The install's configuration: valid against the manifest's `configSchema`, with its defaults applied. Read-only.",
    example: `local team = ctx.config.team or "default"\nreturn { team = team }`,
  },
  install: {
    type: "ihub.Install",
    description: "Which install runs the handler. Read-only.",
    fields: [field("id", "string", "the install's id"), field("slug", "string", "the integration's slug"), field("version", "string", "the integration's version")],
    example: `ctx.log.info("running", { install = ctx.install.id, version = ctx.install.version })`,
  },
  run: {
    type: "ihub.Run",
    description: "This invocation: its id is the run id the runtime reports and logs.",
    fields: [field("id", "string", "the run's id"), field("handler", "string", "the handler's name in the manifest")],
    example: `return { runId = ctx.run.id }`,
  },
} as const satisfies Record<Exclude<(typeof PRELUDE_CTX_FIELDS)[number], "json">, CtxValue>;

export const CTX_JSON = {
  encode: {
    args: [{ name: "value", type: "any", description: "a Lua value convertible to JSON (see runtime-values.md)" }],
    returns: { type: "string", description: "its JSON text" },
    description: "Encodes a value as JSON text, by the same rules as every value that leaves the sandbox.",
    errors: "a Lua error `ctx.json.encode: ...` naming the rule when the value has no JSON form (NaN, a cycle, a function, a sparse array)",
    example: `return { text = ctx.json.encode({ ids = ctx.json.array({ 1, 2 }) }) }`,
  },
  decode: {
    args: [{ name: "text", type: "string", description: "JSON text" }],
    returns: { type: "any", description: "the decoded value; a JSON `null` inside an array is `ctx.json.null`" },
    description: "Decodes JSON text into Lua values.",
    errors: "a Lua error `ctx.json.decode: ...` when the text is not a string or not JSON, or nests deeper than 100 levels",
    example: `local body = ctx.json.decode('{"items":[1,2]}')\nreturn { count = #body.items }`,
  },
  array: {
    args: [{ name: "t", type: "table", description: "a table used as a list, possibly empty" }],
    returns: { type: "table", description: "`t` itself, marked to encode as a JSON array" },
    description: "Marks a table as a JSON array, so an empty one encodes as `[]` rather than `{}`.",
    errors: "a Lua error when `t` is not a table",
    example: `return { tags = ctx.json.array({}) }`,
  },
} as const satisfies Record<string, CtxJsonFunction>;

/** ctx.json.null: the one value that is not a function under ctx.json. */
export const CTX_JSON_NULL = { type: "ihub.JsonNull", description: "Stands for JSON `null` where Lua's nil cannot: in an array slot or a field that must be present." };
