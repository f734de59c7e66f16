/**
 * Page links for a listing of `total` pages: the first and last, and two either side of the
 * current one, so the bar stays short at any catalog size. Shared by the prebuilt pages (links to
 * `/page/<n>/`) and the browser's search results (links to `?…&page=<n>`).
 */
import { escapeHtml as e } from "./html.ts";

export function pageNumbers(current: number, total: number): (number | "gap")[] {
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, total])].filter((n) => n >= 1 && n <= total).sort((a, b) => a - b);
  const out: (number | "gap")[] = [];
  for (const n of shown) {
    const last = out.at(-1);
    if (typeof last === "number" && n - last > 1) out.push("gap");
    out.push(n);
  }
  return out;
}

export function pagerHtml(current: number, total: number, hrefFor: (page: number) => string): string {
  if (total <= 1) return "";
  const link = (n: number, text: string, rel?: string) => `<a href="${e(hrefFor(n))}" data-page="${n}"${rel ? ` rel="${rel}"` : ""}>${text}</a>`;
  const parts = [
    current > 1 ? link(current - 1, "Previous", "prev") : "",
    ...pageNumbers(current, total).map((n) =>
      n === "gap" ? `<span class="gap" aria-hidden="true">…</span>` : n === current ? `<a aria-current="page" href="${e(hrefFor(n))}" data-page="${n}">${n}</a>` : link(n, String(n)),
    ),
    current < total ? link(current + 1, "Next", "next") : "",
  ];
  return parts.filter(Boolean).join(" ");
}
