import type { CommandSpec } from "./command.js";

type Loader = () => Promise<{ default: CommandSpec }>;

export const commandNames = ["validate", "pipeline", "catalog", "bundle", "publish", "registry", "yank", "version", "tag", "test", "run", "new", "pr-comment", "runtime"] as const;
export type CommandName = (typeof commandNames)[number];

/**
 * Every verb of `ihub`, loaded lazily so a run pays only for the verb it uses. Adding a verb is
 * one folder under commands/ plus its name above and its entry here.
 */
export const commands: Record<CommandName, Loader> = {
  validate: () => import("../commands/validate/index.js"),
  pipeline: () => import("../commands/pipeline/index.js"),
  catalog: () => import("../commands/catalog/index.js"),
  bundle: () => import("../commands/bundle/index.js"),
  publish: () => import("../commands/publish/index.js"),
  registry: () => import("../commands/registry/index.js"),
  yank: () => import("../commands/yank/index.js"),
  version: () => import("../commands/version/index.js"),
  tag: () => import("../commands/tag/index.js"),
  test: () => import("../commands/test/index.js"),
  run: () => import("../commands/run/index.js"),
  new: () => import("../commands/new/index.js"),
  "pr-comment": () => import("../commands/pr-comment/index.js"),
  runtime: () => import("../commands/runtime/index.js"),
};
