/** Escapes text for HTML text and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A site-relative path under a base path (`/` or `/catalog/`). */
export function underBase(base: string, path: string): string {
  return (base.endsWith("/") ? base : base + "/") + path;
}
