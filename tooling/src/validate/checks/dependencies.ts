/**
 * dependencies.modules: each shared Lua module exists under integrations/_modules/<name>/ with a
 * module.json whose version satisfies the declared range. Module metadata is read once per
 * run, however many integrations depend on it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { MODULE_FILE, sharedModulePath } from "@ihub/runtime/layout";
import type { CheckContext, FindingLocation } from "../integration-context.js";
import { readJson, toPointer } from "@ihub/runtime/json";

type ModuleInfo =
  | { ok: true; version: string }
  | { ok: false; missing: boolean; message: string }
  /** module.json passes the nesting limit: reported at the module's file, not at the dependency. */
  | { ok: false; tooDeep: FindingLocation & { file: string }; message: string };

async function readModule(root: string, name: string): Promise<ModuleInfo> {
  const file = sharedModulePath(name, MODULE_FILE);
  let text: string;
  try {
    text = await readFile(path.join(root, file), "utf8");
  } catch {
    return { ok: false, missing: true, message: `${file} does not exist` };
  }
  const json = readJson(text);
  if (!json.ok && json.problem === "too-deep") {
    return { ok: false, message: `${file}: ${json.message}`, tooDeep: { file, pointer: json.pointer, position: { line: json.position.line, column: json.position.column } } };
  }
  if (!json.ok) return { ok: false, missing: false, message: `${file} is ${json.message}` };
  const version = (json.value as { version?: unknown } | null)?.version;
  if (typeof version === "string" && semver.valid(version)) return { ok: true, version };
  return { ok: false, missing: false, message: `${file} has no valid semver "version"` };
}

export async function checkDependencies(ctx: CheckContext): Promise<void> {
  for (const [name, range] of Object.entries(ctx.manifest.dependencies?.modules ?? {})) {
    const pointer = toPointer(["dependencies", "modules", name]);
    const mod = await ctx.once(`module:${name}`, () => readModule(ctx.root, name));
    if (!mod.ok && "tooDeep" in mod) {
      // The finding's file is relative to the integration folder; the module lives beside it.
      ctx.report("IH005", `module "${name}": ${mod.message}`, { ...mod.tooDeep, file: path.posix.relative(ctx.relDir, mod.tooDeep.file) });
    } else if (!mod.ok) {
      ctx.reportAt(mod.missing ? "IH090" : "IH091", `module "${name}": ${mod.message}`, pointer, true);
    } else if (!semver.validRange(range)) {
      ctx.reportAt("IH091", `module "${name}": "${range}" is not a semver range`, pointer);
    } else if (!semver.satisfies(mod.version, range)) {
      ctx.reportAt("IH091", `module "${name}" is at ${mod.version}, which does not satisfy "${range}"`, pointer);
    }
  }
}
