/**
 * ajv's standalone code for every validator (see definitions.ts): CommonJS modules that need only
 * ajv's small runtime helpers, written by `npm run build` where validator.ts looks for them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import standaloneModule from "ajv/dist/standalone/index.js";
import { compileValidator, VALIDATOR_NAMES, type ValidatorName } from "./definitions.js";
import { STANDALONE_DIR, standaloneFile } from "./validator.js";

// CommonJS with a default export, like ajv-formats: under NodeNext the callable sits on `.default`.
const standaloneCode = standaloneModule.default;

export function standaloneSource(name: ValidatorName): string {
  const { ajv, validate, facts = {} } = compileValidator(name, { source: true });
  const code = standaloneCode(ajv as Parameters<typeof standaloneCode>[0], validate);
  return code + Object.entries(facts).map(([key, value]) => `module.exports.${key} = ${JSON.stringify(value)};\n`).join("");
}

export function writeStandaloneValidators(dir: string = STANDALONE_DIR): ValidatorName[] {
  mkdirSync(dir, { recursive: true });
  for (const name of VALIDATOR_NAMES) writeFileSync(standaloneFile(dir, name), standaloneSource(name));
  return [...VALIDATOR_NAMES];
}
