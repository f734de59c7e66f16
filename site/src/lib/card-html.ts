/**
 * One card of the listing as HTML. The prebuilt listing pages and the browser's search results
 * both call this, so a card is one piece of markup whichever way the reader reached it.
 */
import type { CardData } from "../../../tooling/src/catalog/card-data.ts";
import { escapeHtml as e, underBase } from "./html.ts";
import { authLabels, tierLabels } from "./labels.ts";

export function cardHtml(card: CardData, base: string): string {
  const retired = card.deprecated || card.yanked;
  const badges = [
    `<span class="badge tier-${card.trustTier}">${tierLabels[card.trustTier]}</span>`,
    card.deprecated ? `<span class="badge warn">Deprecated</span>` : "",
    card.yanked ? `<span class="badge danger">Yanked</span>` : "",
  ].join(" ");
  const handlers = `${card.handlerCount} handler${card.handlerCount === 1 ? "" : "s"}`;
  const updated = card.updated ? `<p class="meta">Updated <time datetime="${e(card.updated)}">${e(card.updated)}</time></p>` : "";
  return (
    `<li class="card${retired ? " retired" : ""}" data-card>` +
    `<div class="card-head"><img src="${e(underBase(base, card.icon))}" alt="${e(card.name)} icon" width="48" height="48" loading="lazy" decoding="async">` +
    `<div><h2><a href="${e(underBase(base, card.url))}">${e(card.name)}</a></h2><span class="muted">by ${e(card.publisher)}</span></div></div>` +
    `<p class="desc">${e(card.description)}</p>` +
    `<p class="meta">${badges}</p>` +
    `<p class="meta">v${e(card.latestVersion)} · ${authLabels[card.authType]} · ${handlers}</p>` +
    updated +
    `<p class="meta">${card.categories.map((c) => `<span class="chip">${e(c)}</span>`).join(" ")}</p>` +
    `</li>`
  );
}
