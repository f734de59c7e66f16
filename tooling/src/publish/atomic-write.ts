import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** Readers see the old file or the new one, never half of one: write beside it, then rename over it. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await writeFile(tmp, data);
  await rename(tmp, file);
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
