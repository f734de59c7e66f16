/** Icons are served under content-hashed names, so pages can be cached forever and an icon change is never stale. */
import { createHash } from "node:crypto";

export const ICONS_DIR = "icons";

export function hashedIconPath(slug: string, bytes: Uint8Array, ext: string): string {
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 10);
  return `${ICONS_DIR}/${slug}.${hash}.${ext}`;
}
