import type { CommandSpec } from "./command.js";

type Loader = () => Promise<{ default: CommandSpec }>;

export const commandNames = ["validate", "pipeline"] as const;
export type CommandName = (typeof commandNames)[number];

/**
 * Every verb of `ihub`, loaded lazily so a run pays only for the verb it uses. Adding a verb is
 * one folder under commands/ plus its name above and its entry here.
 */
export const commands: Record<CommandName, Loader> = {
  validate: () => import("../commands/validate/index.js"),
  pipeline: () => import("../commands/pipeline/index.js"),
};
