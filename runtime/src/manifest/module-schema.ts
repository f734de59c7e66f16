/**
 * A shared Lua module's metadata (`integrations/_modules/<name>/module.json`), defined once with
 * zod; `schemas/module.schema.json` is generated from it. The module's code is `init.lua` beside
 * it, a chunk that returns a table; handlers `require("<name>")` it when their manifest lists it
 * under `dependencies.modules`.
 */
import { z } from "zod";
import { SEMVER_PATTERN, SLUG_PATTERN } from "./manifest-schema.js";

export const moduleSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, so editors complete and check the file."),
    name: z.string().min(2).max(64).regex(new RegExp(SLUG_PATTERN)).describe("Module name: lowercase letters, digits and hyphens. Equals the folder name and the `require` argument."),
    version: z.string().regex(new RegExp(SEMVER_PATTERN)).describe("Semantic version; integrations depend on it by semver range."),
    description: z.string().min(1).max(500).describe("What the module provides."),
  })
  .describe("Metadata of a shared Lua module (integrations/_modules/<name>/module.json).");

export type ModuleInfo = z.infer<typeof moduleSchema>;
