import { stat } from "node:fs/promises";
import path from "node:path";
import { INTEGRATIONS_DIR } from "@ihub/runtime/layout";
import { UsageError } from "../errors.js";

async function isDir(p: string): Promise<boolean> {
  return (await stat(p).catch(() => null))?.isDirectory() ?? false;
}

/** The repository `ihub` works on: `--root` when given, else the nearest folder upward holding `integrations/`. */
export async function findRoot(explicit: string | undefined, from = process.cwd()): Promise<string> {
  if (explicit !== undefined) {
    const root = path.resolve(explicit);
    if (!(await isDir(path.join(root, INTEGRATIONS_DIR)))) {
      throw new UsageError(`--root ${explicit} has no integrations/ folder`, "Point --root at the repository's top folder.");
    }
    return root;
  }
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (await isDir(path.join(dir, INTEGRATIONS_DIR))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  throw new UsageError(`no integrations/ folder in ${from} or any folder above it`, "Run ihub inside an integration repository or pass --root DIR.");
}
