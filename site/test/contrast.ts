/**
 * WCAG 2 contrast of the text on a page, measured in the browser from computed styles: the text
 * colour (faded by the opacity of its ancestors) over the backgrounds stacked behind it. Only
 * plain colour backgrounds are followed, which is all the catalog's stylesheet uses.
 */
export type ContrastIssue = { text: string; ratio: number; needed: number; color: string; background: string };

/** Runs inside the page (passed to `page.evaluate`), so it must not close over anything. */
export function findLowContrast(): ContrastIssue[] {
  type Rgba = [number, number, number, number];
  type El = {
    parentElement: El | null;
    childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
    textContent: string | null;
    getClientRects(): ArrayLike<unknown>;
  };
  type Style = { color: string; backgroundColor: string; opacity: string; fontSize: string; fontWeight: string; visibility: string };
  const doc = (globalThis as unknown as { document: { body: El; querySelectorAll(s: string): ArrayLike<El> } }).document;
  const styleOf = (globalThis as unknown as { getComputedStyle(e: El): Style }).getComputedStyle;

  const parse = (css: string): Rgba => {
    const m = /rgba?\(([^)]+)\)/.exec(css);
    if (!m) return [0, 0, 0, 0];
    const [r = 0, g = 0, b = 0, a = 1] = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top: Rgba, below: Rgba): Rgba => {
    const a = top[3] + below[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + below[i]! * below[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = ([r, g, b]: Rgba) => {
    const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };

  const issues: ContrastIssue[] = [];
  for (const el of Array.from(doc.querySelectorAll("body *"))) {
    const ownText = Array.from(el.childNodes)
      .filter((n) => n.nodeType === 3)
      .map((n) => n.textContent ?? "")
      .join("")
      .trim();
    const style = styleOf(el);
    if (!ownText || style.visibility === "hidden" || el.getClientRects().length === 0) continue;

    const chain: El[] = [];
    for (let node: El | null = el; node; node = node.parentElement) chain.unshift(node);
    // Paints the chain from the root down: each node's background over what lies beneath, the
    // text at the end; a node's opacity then blends everything it painted over what lay beneath.
    const paint = (i: number, beneath: Rgba): { bg: Rgba; text: Rgba } => {
      const s = styleOf(chain[i]!);
      const local = over(parse(s.backgroundColor), beneath);
      const inner = i === chain.length - 1 ? { bg: local, text: over(parse(s.color), local) } : paint(i + 1, local);
      const o = Number(s.opacity);
      const fade = (c: Rgba): Rgba => [0, 1, 2].map((k) => c[k]! * o + beneath[k]! * (1 - o)).concat(1) as Rgba;
      return { bg: fade(inner.bg), text: fade(inner.text) };
    };
    // The canvas behind everything is opaque white unless the root paints its own background.
    const { bg, text } = paint(0, [255, 255, 255, 1]);

    const [hi, lo] = [luminance(text), luminance(bg)].sort((a, b) => b - a) as [number, number];
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    if (ratio < needed) issues.push({ text: ownText.slice(0, 40), ratio: Math.round(ratio * 100) / 100, needed, color: style.color, background: `rgb(${bg.slice(0, 3).map(Math.round).join(" ")})` });
  }
  return issues;
}
