#!/usr/bin/env node
// The `ihub` command: the JavaScript that `npm run build` compiled from tooling/src into dist/
// (npm ci and npm install run the build as `prepare`), so a start transpiles nothing.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../../dist/tooling/src/cli/entry.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  process.stderr.write(`error ihub is not built: ${fileURLToPath(entry)} is missing\n  hint Run \`npm run build\` in ${root} (npm ci and npm install run it too).\n`);
  process.exit(3);
}
await import(entry.href);
