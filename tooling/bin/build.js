#!/usr/bin/env node
/**
 * `npm run build` (npm ci and npm install run it as `prepare`): compiles the sources the `ihub`
 * command runs, tooling/src into dist/tooling/src and the runtime package's src into runtime/dist,
 * the folder its `exports` map names for Node's default condition, so the compiled tooling's
 * `@ihub/runtime` imports resolve to JavaScript. Each file is transpiled on its own (the sources are
 * written for isolatedModules): the build never fails on a type error, `npm run typecheck` is
 * where types are checked, exactly as when tsx ran the sources. Files other than TypeScript in
 * the source folders (the Lua prelude, the worker thread's entry) are copied beside their
 * modules, and schemas/ beside the compiled folders, since the validator reads it relative to
 * itself. The Astro site is not copied: it is built in place (see tooling/src/package-root.ts).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../", import.meta.url));
const OUT = path.join(root, "dist");
/** Source folder to output folder, both relative to the root. */
const SOURCE_DIRS = { "tooling/src": "dist/tooling/src", "runtime/src": "runtime/dist" };
const COPIED_DIRS = ["schemas"];
const isTest = (name) => /\.test\.[cm]?[jt]s$/.test(name);

const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, root);
// NodeNext decides ESM or CommonJS per file from package.json, which a lone file does not see:
// the package is "type": "module", so every module is ESM.
Object.assign(options, { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });

const started = performance.now();
for (const out of [OUT, ...Object.values(SOURCE_DIRS)]) rmSync(path.resolve(root, out), { recursive: true, force: true });
let compiled = 0;
let copied = 0;
for (const [dir, out] of Object.entries(SOURCE_DIRS)) {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || isTest(entry.name) || entry.name.endsWith(".d.ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const target = path.join(root, out, path.relative(path.join(root, dir), file));
    mkdirSync(path.dirname(target), { recursive: true });
    if (entry.name.endsWith(".ts")) {
      const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: options, fileName: file });
      writeFileSync(target.replace(/\.ts$/, ".js"), outputText);
      compiled++;
    } else {
      cpSync(file, target);
      copied++;
    }
  }
}
for (const dir of COPIED_DIRS) cpSync(path.join(root, dir), path.join(OUT, dir), { recursive: true });
console.log(`ihub built: ${compiled} modules and ${copied} assets in dist/ and runtime/dist/ (${Math.round(performance.now() - started)} ms)`);
