/**
 * The ajv validators `ihub validate` uses, each once per process. The compiled CLI loads the
 * standalone code `npm run build` generated beside this module (compiling the meta-schemas cost a
 * run 100-300 ms, and ajv's compiler is not even loaded then); run from the TypeScript sources,
 * where nothing was generated, each is compiled from the same definition instead.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import type { ValidatorName } from "./definitions.js";

/** Where the build writes `<name>.cjs` for each validator: beside the compiled form of this module. */
export const STANDALONE_DIR = fileURLToPath(new URL("./standalone/", import.meta.url));

export const standaloneFile = (dir: string, name: ValidatorName): string => path.join(dir, `${name}.cjs`);

const require = createRequire(import.meta.url);
const loaded = new Map<ValidatorName, Promise<ValidateFunction>>();

async function load(name: ValidatorName): Promise<ValidateFunction> {
  const file = standaloneFile(STANDALONE_DIR, name);
  if (existsSync(file)) return require(file) as ValidateFunction;
  const { compileValidator } = await import("./definitions.js");
  const { validate, facts } = compileValidator(name);
  return Object.assign(validate, facts);
}

export function validator(name: ValidatorName): Promise<ValidateFunction> {
  let p = loaded.get(name);
  if (!p) loaded.set(name, (p = load(name)));
  return p;
}
