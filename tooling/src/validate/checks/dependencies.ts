/**
 * dependencies.modules: each shared Lua module exists under integrations/_modules/<name>/ with a
 * module.json whose version satisfies the declared range. Module metadata is read once per
 * run, however many integrations depend on it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { MODULE_FILE, sharedModulePath } from "@ihub/runtime/layout";
import type { CheckContext } from "../integration-context.js";
import { toPointer } from "@ihub/runtime/json";

type ModuleInfo = { ok: true; version: string } | { ok: false; missing: boolean; message: string };

async function readModule(root: string, name: string): Promise<ModuleInfo> {
  const file = sharedModulePath(name, MODULE_FILE);
  let text: string;
  try {
    text = await readFile(path.join(root, file), "utf8");
  } catch {
    return { ok: false, missing: true, message: `${file} does not exist` };
  }
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    if (typeof version === "string" && semver.valid(version)) return { ok: true, version };
    return { ok: false, missing: false, message: `${file} has no valid semver "version"` };
  } catch {
    return { ok: false, missing: false, message: `${file} is not valid JSON` };
  }
}

export async function checkDependencies(ctx: CheckContext): Promise<void> {
  for (const [name, range] of Object.entries(ctx.manifest.dependencies?.modules ?? {})) {
    const pointer = toPointer(["dependencies", "modules", name]);
    const mod = await ctx.once(`module:${name}`, () => readModule(ctx.root, name));
    if (!mod.ok) {
      ctx.reportAt(mod.missing ? "IH090" : "IH091", `module "${name}": ${mod.message}`, pointer, true);
    } else if (!semver.validRange(range)) {
      ctx.reportAt("IH091", `module "${name}": "${range}" is not a semver range`, pointer);
    } else if (!semver.satisfies(mod.version, range)) {
      ctx.reportAt("IH091", `module "${name}" is at ${mod.version}, which does not satisfy "${range}"`, pointer);
    }
  }
}
