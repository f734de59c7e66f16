/** Runs the autocannon load generator (load-generator.ts) in its own process and reads back its one JSON line. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { LoadResult, LoadSettings } from "./load-generator.js";

export type { LoadResult, LoadSettings };

const GENERATOR = fileURLToPath(new URL("./load-generator.ts", import.meta.url));

export async function runLoad(settings: LoadSettings): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", GENERATOR, JSON.stringify(settings)]);
  return JSON.parse(stdout) as LoadResult;
}
