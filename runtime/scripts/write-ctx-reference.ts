// Writes docs/ctx.md, the LuaLS definitions and .luarc.json from the capability table; run as `npm run docs:ctx`.
import { mkdir, writeFile } from "node:fs/promises";
import { GENERATED_FILES } from "../src/capabilities/generated-files.js";

for (const { path, render } of GENERATED_FILES) {
  const target = new URL(`../../${path}`, import.meta.url);
  await mkdir(new URL(".", target), { recursive: true });
  await writeFile(target, render());
  console.log(`wrote ${path}`);
}
