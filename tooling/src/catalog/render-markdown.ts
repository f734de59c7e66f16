/**
 * Markdown to HTML for READMEs and changelog entries. Contributors write these files, so the
 * output is treated as untrusted: raw HTML is shown as text, links and images keep only safe
 * absolute URLs (http, https, mailto) and in-page anchors; relative links point into the
 * repository, not the site, so they become plain text rather than dead links.
 */
import { Marked, type Tokens } from "marked";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function safeUrl(href: string, allowMail: boolean): string | null {
  if (href.startsWith("#")) return href;
  try {
    const url = new URL(href);
    if (url.protocol === "https:" || url.protocol === "http:" || (allowMail && url.protocol === "mailto:")) return url.href;
  } catch {
    // Not absolute: a path inside the repository.
  }
  return null;
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href, true);
      if (!href) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      const external = href.startsWith("#") ? "" : ' rel="nofollow noopener"';
      return `<a href="${escapeHtml(href)}"${title}${external}>${text}</a>`;
    },
    image(token: Tokens.Image) {
      const href = safeUrl(token.href, false);
      if (!href || href.startsWith("#")) return escapeHtml(token.text);
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(token.text)}" loading="lazy">`;
    },
  },
});

/** Rendered HTML; headings are shifted down by `shift` levels so a README's `#` never competes with the page's h1. */
export function renderMarkdown(markdown: string, opts: { shift?: number } = {}): string {
  const shift = opts.shift ?? 0;
  const tokens = marked.lexer(markdown);
  if (shift) {
    marked.walkTokens(tokens, (t) => {
      if (t.type === "heading") (t as Tokens.Heading).depth = Math.min(6, (t as Tokens.Heading).depth + shift);
    });
  }
  return marked.parser(tokens);
}

export { escapeHtml };
