import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderSchemas } from "./generate.js";

export const schemasDir = fileURLToPath(new URL("../../../schemas/", import.meta.url));

export async function writeSchemaFiles(): Promise<string[]> {
  const written: string[] = [];
  for (const [file, text] of Object.entries(renderSchemas())) {
    await writeFile(schemasDir + file, text);
    written.push("schemas/" + file);
  }
  return written;
}
