/**
 * Every finding code `ihub validate` can report, in one registry: the code is stable (tools and
 * people grep for it), the severity and hint live with it so every check reports them the same
 * way, and docs/validate.md is checked against this table by a test.
 */
import type { Severity } from "../findings/finding.js";

type CodeInfo = { severity: Severity; title: string; hint: string };

export const FINDING_CODES = {
  IH001: {
    severity: "error",
    title: "manifest missing",
    hint: "Add integration.json at the top of the integration folder (`ihub new` scaffolds one).",
  },
  IH002: {
    severity: "error",
    title: "manifest too large",
    hint: "A manifest is a few kilobytes; move data into separate files or remove what was pasted by mistake.",
  },
  IH003: {
    severity: "error",
    title: "manifest is not valid JSON",
    hint: "Fix the JSON syntax at the given line (no comments or trailing commas).",
  },
  IH004: {
    severity: "error",
    title: "file unreadable",
    hint: "Check the file's permissions and that it is a regular file.",
  },
  IH005: {
    severity: "error",
    title: "nesting too deep",
    hint: "Flatten the document: objects and arrays nest at most 100 levels in any file ihub reads.",
  },
  IH010: {
    severity: "error",
    title: "manifest does not match the schema",
    hint: "Compare the field with schemas/integration.schema.json; an editor that honours `$schema` shows the allowed values.",
  },
  IH011: {
    severity: "error",
    title: "slug differs from folder name",
    hint: "Rename the folder or change `slug` so both are the same.",
  },
  IH012: {
    severity: "error",
    title: "folder name is not a valid slug",
    hint: "Use lowercase letters, digits and single hyphens, e.g. `acme-billing`.",
  },
  IH013: {
    severity: "error",
    title: "duplicate slug",
    hint: "Slugs are unique ignoring case; rename one of the folders.",
  },
  IH014: {
    severity: "error",
    title: "handler name is not snake_case",
    hint: "Name handlers like `list_issues`: lowercase words joined by underscores.",
  },
  IH015: {
    severity: "error",
    title: "publisher is a placeholder",
    hint: "Set `publisher` to the person or organisation that maintains the integration, as the catalog should show it.",
  },
  IH016: {
    severity: "warning",
    title: "placeholder in a name or description",
    hint: 'Replace the placeholder with the text the catalog should show; if the word is meant (a "TODO item"), ignore this warning.',
  },
  IH020: {
    severity: "error",
    title: "referenced file missing",
    hint: "Create the file or fix the path in the manifest (paths are relative to the integration folder).",
  },
  IH021: {
    severity: "error",
    title: "path escapes the integration folder",
    hint: "Keep every referenced file inside the integration folder; no `..` and no symlinks pointing outside it.",
  },
  IH022: {
    severity: "error",
    title: "integration folder is empty",
    hint: "Remove the empty folder or scaffold an integration in it with `ihub new`.",
  },
  IH030: {
    severity: "error",
    title: "Lua syntax error",
    hint: "Fix the Lua syntax at the given line (handlers are Lua 5.3).",
  },
  IH031: {
    severity: "error",
    title: "Lua file is binary",
    hint: "Handlers must be Lua source text in UTF-8; precompiled chunks and NUL bytes are refused.",
  },
  IH032: {
    severity: "error",
    title: "handler function not defined",
    hint: "Make the handler file return a table that defines the function named in the manifest's `function`.",
  },
  IH033: {
    severity: "warning",
    title: "handler table not statically known",
    hint: "End the file with `return { name = function(ctx, input) ... end }` or `return M` so the function can be checked.",
  },
  IH034: {
    severity: "error",
    title: "undeclared resource alias",
    hint: "Declare the alias under `resources` with the kind the call needs, or fix the alias in the call.",
  },
  IH035: {
    severity: "error",
    title: "resource alias of the wrong kind",
    hint: "ctx.device.http needs an alias of kind `http`; ctx.device.sql one of kind `sql`.",
  },
  IH036: {
    severity: "warning",
    title: "resource alias not a string literal",
    hint: "Pass the alias as a string literal so it can be checked before run time.",
  },
  IH037: {
    severity: "error",
    title: "capability not granted by permissions",
    hint: "Grant it under `permissions` (device, cache, containers, events.emit, tenantApis) or set `billing: true` for ctx.billing.charge, or remove the call.",
  },
  IH038: {
    severity: "error",
    title: "undeclared data container",
    hint: "Declare the container under `dataContainerSchemas` with the JSON Schema of its records.",
  },
  IH039: {
    severity: "error",
    title: "permission names an undeclared resource",
    hint: "Every alias under `permissions.device` must be declared under `resources`.",
  },
  IH040: {
    severity: "error",
    title: "embedded JSON Schema invalid",
    hint: "Fix the schema so it is valid JSON Schema 2020-12 (check keywords, types, patterns and $ref targets).",
  },
  IH041: {
    severity: "error",
    title: "oauth2 endpoints missing",
    hint: "auth.type oauth2 needs `auth.oauth2` with authorizationUrl and tokenUrl, or `auth.provider` naming a built-in provider (github, slack, google, …).",
  },
  IH042: {
    severity: "error",
    title: "timer schedule missing or invalid",
    hint: "Give timer handlers a `schedule`: a cron expression like `*/5 * * * *` or an interval like `30s`, `5m`, `1h`.",
  },
  IH043: {
    severity: "error",
    title: "event handler without topic",
    hint: "Give event handlers an `event` topic, e.g. `order.created`.",
  },
  IH044: {
    severity: "error",
    title: "field not allowed for this handler type",
    hint: "`outputSchema` is for rpc handlers, `schedule` for timers, `event` for event handlers; remove the field or change the type.",
  },
  IH045: {
    severity: "error",
    title: "connectedAccount names no rpc handler",
    hint: "Point `connectedAccount.handler` at an rpc handler that returns `{ id, name, email?, avatarUrl? }`.",
  },
  IH046: {
    severity: "error",
    title: "auth.provider misused",
    hint: "`auth.provider` goes with `auth.type: \"oauth2\"` and replaces `auth.oauth2`; keep one of them.",
  },
  IH047: {
    severity: "warning",
    title: "unknown keyword in an embedded JSON Schema",
    hint: "Fix the spelling if it was meant as a JSON Schema keyword; prefix form hints that are not in the documented set (label, help_text, placeholder, …) with `x-`.",
  },
  IH048: {
    severity: "warning",
    title: "unknown format in an embedded JSON Schema",
    hint: "Formats outside JSON Schema 2020-12 are not validated, only carried as annotations; use a standard format or add a `pattern` if values must be checked.",
  },
  IH049: {
    severity: "error",
    title: "embedded JSON Schema references another document",
    hint: "A bundle carries only the manifest, and the runtime fetches nothing: copy the referenced schema under `$defs` and point `$ref` at it (`#/$defs/name`).",
  },
  IH050: {
    severity: "error",
    title: "icon format not supported",
    hint: "Use `icon.svg` (square) or `icon.png` (512x512).",
  },
  IH051: {
    severity: "error",
    title: "PNG icon not 512x512",
    hint: "Export the PNG icon at exactly 512x512 pixels.",
  },
  IH052: {
    severity: "error",
    title: "SVG icon does not parse",
    hint: "Fix the SVG markup (it must be well-formed XML with an <svg> root).",
  },
  IH053: {
    severity: "error",
    title: "SVG icon not square",
    hint: "Give the SVG equal width and height, or a square viewBox.",
  },
  IH060: {
    severity: "error",
    title: "OpenAPI document invalid",
    hint: "Fix the document so it validates as Swagger 2.0 or OpenAPI 3.0, 3.1 or 3.2 (the finding names the file, line and pointer).",
  },
  IH061: {
    severity: "error",
    title: "operation not in OpenAPI document",
    hint: "Call a path and method the alias's OpenAPI document declares, or add the operation to the document.",
  },
  IH070: {
    severity: "error",
    title: "README.md missing",
    hint: "Add README.md: what the integration does, its auth, each handler's input and output.",
  },
  IH071: {
    severity: "error",
    title: "CHANGELOG.md missing",
    hint: "Add CHANGELOG.md with a `## <version>` heading per version.",
  },
  IH072: {
    severity: "error",
    title: "no CHANGELOG entry for the version",
    hint: "Add a heading for the manifest's version to CHANGELOG.md, e.g. `## 1.2.0`.",
  },
  IH073: {
    severity: "warning",
    title: "placeholder in README.md",
    hint: "Finish README.md where the placeholder stands: what the integration does, its auth, each handler's input and output.",
  },
  IH080: {
    severity: "error",
    title: "handler without test case",
    hint: "Add a case under tests/ (`<name>.test.json` or `.yaml`) whose `handler` names it.",
  },
  IH081: {
    severity: "error",
    title: "test case invalid",
    hint: "Compare the case with schemas/integration-test.schema.json.",
  },
  IH082: {
    severity: "error",
    title: "test case names an unknown handler",
    hint: "Set `handler` to a handler name declared in the manifest.",
  },
  IH090: {
    severity: "error",
    title: "shared module missing",
    hint: "Shared Lua modules live in integrations/_modules/<name>/ with module.json and init.lua.",
  },
  IH091: {
    severity: "error",
    title: "shared module version does not satisfy the range",
    hint: "Widen the range in dependencies.modules or update the module; its module.json needs a semver `version`.",
  },
  IH099: {
    severity: "error",
    title: "internal error",
    hint: "A bug in ihub, not necessarily in the integration: report it with this message; the other integrations' findings are complete.",
  },
  IH100: {
    severity: "error",
    title: "input field not declared by a closed inputSchema",
    hint: "Read only the properties inputSchema declares (the message names the closest), or declare the field; the schema has `additionalProperties: false`, so no other field ever arrives.",
  },
  IH101: {
    severity: "warning",
    title: "input field not declared by inputSchema",
    hint: "Declare the field under the handler's inputSchema `properties` or fix the name (the message names the closest declared one).",
  },
  IH102: {
    severity: "warning",
    title: "input property never read",
    hint: "Remove the property from inputSchema or read it in the handler; callers fill in fields that nothing uses.",
  },
  IH103: {
    severity: "warning",
    title: "input nil test disagrees with required",
    hint: "Test for nil only what inputSchema leaves optional, and test (or default) every optional field before indexing, calling or doing arithmetic with it.",
  },
  IH104: {
    severity: "error",
    title: "config field not declared by a closed configSchema",
    hint: "Read only the properties configSchema declares (the message names the closest), or declare the field; the schema has `additionalProperties: false`.",
  },
  IH105: {
    severity: "warning",
    title: "config field not declared by configSchema",
    hint: "Declare the field under configSchema `properties` or fix the name (the message names the closest declared one).",
  },
  IH106: {
    severity: "warning",
    title: "config property never read",
    hint: "Remove the property from configSchema or read it through ctx.config; installers are asked for values nothing uses.",
  },
  IH107: {
    severity: "warning",
    title: "config nil test disagrees with required",
    hint: "Test for nil only what configSchema leaves optional (or gives a `default`), and test every other optional field before using it.",
  },
  IH108: {
    severity: "error",
    title: "table key not allowed by its schema",
    hint: "The schema (outputSchema or the container's) has `additionalProperties: false`: use a declared property name (the message names the closest) or declare the key.",
  },
  IH109: {
    severity: "error",
    title: "required key never set",
    hint: "Set the key in every table the handler returns (or the container write passes), or drop it from the schema's `required`.",
  },
  IH110: {
    severity: "error",
    title: "global not provided by the sandbox",
    hint: "Use a global the sandbox provides (base, string, table, math, utf8, coroutine; log with ctx.log) or declare the name as a local first.",
  },
  IH111: {
    severity: "warning",
    title: "assignment to a new global",
    hint: "Declare the variable with `local`: globals are shared by every handler of the file and outlive the call.",
  },
  IH112: {
    severity: "warning",
    title: "unused local or argument",
    hint: "Remove the variable, or name it with a leading `_` when it must stay (a positional argument, say).",
  },
  IH113: {
    severity: "warning",
    title: "local shadows a sandbox global",
    hint: "Rename the local so the global (e.g. `type`, `string`, `next`) stays reachable under its own name.",
  },
  IH114: {
    severity: "error",
    title: "function not exported by the shared module",
    hint: "Call a function the module's returned table defines (the message names the closest), or add it to the module.",
  },
  IH115: {
    severity: "error",
    title: "unknown ctx member",
    hint: "Use a ctx member listed in docs/ctx.md (the message names the closest); ctx has no other fields.",
  },
  IH116: {
    severity: "warning",
    title: "input concatenated into a request path",
    hint: "Pass input through a path template instead: `path = \"/items/{id}\", params = { id = input.id }` percent-encodes it, so `../` or `?` cannot reach another endpoint.",
  },
  IH117: {
    severity: "warning",
    title: "function no handler names",
    hint: "Name the function in a handler's `function` in the manifest, or make it a local function (or remove it).",
  },
  IH118: {
    severity: "error",
    title: "module not listed in dependencies.modules",
    hint: "List the module under `dependencies.modules` with a semver range; the sandbox's require finds only those.",
  },
} as const satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;
