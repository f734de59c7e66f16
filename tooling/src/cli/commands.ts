import type { CommandSpec } from "./command.js";

type Verb = {
  /** The line `ihub --help` lists and the verb's own `--help` starts with. */
  summary: string;
  /** The `format` of the verb's `--json` document; bumped only on an incompatible change. */
  format: string;
  load: () => Promise<{ default: CommandSpec }>;
};

export const commandNames = ["validate", "pipeline", "catalog", "bundle", "publish", "registry", "yank", "version", "tag", "test", "run", "new", "pr-comment", "release", "runtime"] as const;
export type CommandName = (typeof commandNames)[number];

/**
 * Every verb of `ihub`: what `ihub --help` lists without importing any verb, and how to load the
 * one being run, so a run pays only for the verb it uses. Adding a verb is one folder under
 * commands/ plus its name above and its entry here.
 */
export const commands: Record<CommandName, Verb> = {
  validate: {
    summary: "check integration folders: manifest, Lua, icon, OpenAPI, docs, tests",
    format: "ihub.validate/v1",
    load: () => import("../commands/validate/index.js"),
  },
  pipeline: {
    summary: "run every stage in order (validate, test, version, tag, bundle, publish, catalog); off the release branch, the gates only",
    format: "ihub.pipeline/v1",
    load: () => import("../commands/pipeline/index.js"),
  },
  catalog: {
    summary: "build the catalog site and catalog.json from the repository and the registry",
    format: "ihub.catalog/v1",
    load: () => import("../commands/catalog/index.js"),
  },
  bundle: {
    summary: "build reproducible, signed .tgz bundles (<out>/<slug>/<version>.tgz + .json with integrity and signature)",
    format: "ihub.bundle/v1",
    load: () => import("../commands/bundle/index.js"),
  },
  publish: {
    summary: "publish signed bundles to a registry: a directory, an OCI registry (oci://host/ns), or both; --reconcile repairs from tags",
    format: "ihub.publish/v1",
    load: () => import("../commands/publish/index.js"),
  },
  registry: {
    summary: "serve a directory registry over HTTP (ihub registry serve [--dir DIR] [--port N] [--host 127.0.0.1] [--allow-publish --trusted-key FILE ...])",
    format: "ihub.registry/v1",
    load: () => import("../commands/registry/index.js"),
  },
  yank: {
    summary: "mark a published version as yanked: new installs refuse it, existing installs are warned",
    format: "ihub.yank/v1",
    load: () => import("../commands/yank/index.js"),
  },
  version: {
    summary: "check that every changed integration bumps its version enough (semver gate against the base ref and the registry)",
    format: "ihub.version/v1",
    load: () => import("../commands/version/index.js"),
  },
  tag: {
    summary: "create annotated <slug>@<version> tags at HEAD carrying each bundle's content digest (existing tags never move)",
    format: "ihub.tag/v1",
    load: () => import("../commands/tag/index.js"),
  },
  test: {
    summary: "run every integration's test cases in the real sandbox with recorded fixtures",
    format: "ihub.test/v1",
    load: () => import("../commands/test/index.js"),
  },
  run: {
    summary: "invoke one handler in the real sandbox, on recorded fixtures or (--live) on real bindings",
    format: "ihub.run/v1",
    load: () => import("../commands/run/index.js"),
  },
  new: {
    summary: "scaffold an integration folder that passes ihub validate",
    format: "ihub.new/v1",
    load: () => import("../commands/new/index.js"),
  },
  "pr-comment": {
    summary:
      "summarise the validate/test/version --json reports in one sticky pull-request comment (on Actions also the job summary and test annotations)",
    format: "ihub.pr-comment/v1",
    load: () => import("../commands/pr-comment/index.js"),
  },
  release: {
    summary: "create the GitHub Release of every <slug>@<version> tag (CHANGELOG section as body, bundle and signed record as assets); idempotent, retries what failed",
    format: "ihub.release/v1",
    load: () => import("../commands/release/index.js"),
  },
  runtime: {
    summary: "run the runtime service (ihub runtime start [--registry DIR|URL|oci://…] [--db FILE|postgres://…] [--host H] [--port N] [--trusted-key FILE ...] [--public-url URL]; OAuth clients from IHUB_OAUTH_<PROVIDER>_CLIENT_ID/_SECRET) or re-seal its credentials with a new key (ihub runtime rotate-key [--db FILE|postgres://…])",
    format: "ihub.runtime/v1",
    load: () => import("../commands/runtime/index.js"),
  },
};

export function isCommandName(name: string | undefined): name is CommandName {
  return (commandNames as readonly string[]).includes(name ?? "");
}

/** The document every failure prints under `--json`: a typed error, or an internal one. */
export const ERROR_JSON_FORMAT = "ihub.error/v1";
