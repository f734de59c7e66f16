import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { FileSource } from "../bundle/bundle-contents.js";

/** A FileSource over the working tree. Symlinks are not followed: bundles carry regular files only. */
export function fsFileSource(root: string): FileSource {
  return {
    async read(relPath) {
      return readFile(path.join(root, relPath)).catch(() => null);
    },
    async list(relDir) {
      const entries = await readdir(path.join(root, relDir), { withFileTypes: true, recursive: true }).catch(() => []);
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
    },
  };
}
