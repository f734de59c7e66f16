#!/usr/bin/env node
// The `ihub` command. Sources are TypeScript, loaded through tsx so the repo needs no build step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
