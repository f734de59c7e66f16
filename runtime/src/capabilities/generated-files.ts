/** The files written from the capability table, each with its path from the repository root; one command writes them all. */
import { CTX_REFERENCE_FILE, renderCtxReference } from "./ctx-reference.js";
import { LUALS_CONFIG_FILE, LUALS_CTX_FILE, LUALS_SANDBOX_FILE, renderCtxDefinitions, renderLuarc, renderSandboxDefinitions } from "./luals-definitions.js";

/** What regenerates them, for messages that ask for it. */
export const REGENERATE_COMMAND = "npm run docs:ctx";

export const GENERATED_FILES: readonly { path: string; render: () => string }[] = [
  { path: CTX_REFERENCE_FILE, render: renderCtxReference },
  { path: LUALS_CTX_FILE, render: renderCtxDefinitions },
  { path: LUALS_SANDBOX_FILE, render: renderSandboxDefinitions },
  { path: LUALS_CONFIG_FILE, render: renderLuarc },
];
