/**
 * A FileSource over a commit's tree (isomorphic-git), so a bundle can be rebuilt exactly as it
 * was at a tag. Only regular blobs count: symlinks and submodules are not bundle material.
 */
import fs from "node:fs";
import git from "isomorphic-git";
import type { FileSource } from "./bundle-contents.js";

export function gitFileSource(root: string, commit: string): FileSource {
  let files: Promise<Map<string, string>> | undefined;
  const tree = () =>
    (files ??= (async () => {
      const map = new Map<string, string>();
      await git.walk({
        fs,
        dir: root,
        trees: [git.TREE({ ref: commit })],
        map: async (filepath, [entry]) => {
          if (!entry) return null;
          const type = await entry.type();
          const mode = await entry.mode();
          // 0o100644 / 0o100755 are regular files; 0o120000 symlinks, 0o160000 submodules.
          if (type === "blob" && (mode & 0o170000) === 0o100000) map.set(filepath, await entry.oid());
          return true;
        },
      });
      return map;
    })());
  return {
    async read(relPath) {
      const oid = (await tree()).get(relPath);
      return oid ? (await git.readBlob({ fs, dir: root, oid })).blob : null;
    },
    async list(relDir) {
      const prefix = relDir.endsWith("/") ? relDir : `${relDir}/`;
      return [...(await tree()).keys()].filter((p) => p.startsWith(prefix)).sort();
    },
  };
}
