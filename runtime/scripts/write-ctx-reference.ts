// Writes docs/ctx.md from the capability table; run as `npm run docs:ctx`.
import { writeFile } from "node:fs/promises";
import { CTX_REFERENCE_FILE, renderCtxReference } from "../src/capabilities/ctx-reference.js";

const target = new URL(`../../${CTX_REFERENCE_FILE}`, import.meta.url);
await writeFile(target, renderCtxReference());
console.log(`wrote ${CTX_REFERENCE_FILE}`);
