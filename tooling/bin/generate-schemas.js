#!/usr/bin/env node
// Writes schemas/*.json from the zod definitions; `npm run schemas` after changing them.
import { register } from "tsx/esm/api";
register();
const { writeSchemaFiles } = await import("../src/schemas/write.ts");
for (const file of await writeSchemaFiles()) console.log(`wrote ${file}`);
