import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./render-markdown.js";

describe("renderMarkdown", () => {
  it("escapes raw HTML blocks and inline tags so no script or handler survives", () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nHi <img src=x onerror="alert(1)"> <b>bold</b>\n\n<iframe src="https://evil.test"></iframe>');
    expect(html).not.toMatch(/<script|<img|<iframe|<b>/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("onerror=&quot;alert(1)&quot;");
  });

  it("keeps only safe absolute links and images; repository paths become text", () => {
    const html = renderMarkdown(
      "[a](javascript:alert(1)) [b](https://ok.test/x?a=1&b=2 \"T\") [c](docs/setup.md) [d](#usage) [e](mailto:x@y.test) [f](data:text/html,hi)\n\n" +
        "![i](https://img.test/a.png) ![j](shot.png) ![k](javascript:x)",
    );
    expect(html).toContain('<a href="https://ok.test/x?a=1&amp;b=2" title="T" rel="nofollow noopener">b</a>');
    expect(html).toContain('<a href="#usage">d</a>');
    expect(html).toContain('<a href="mailto:x@y.test" rel="nofollow noopener">e</a>');
    expect(html).toContain('<img src="https://img.test/a.png" alt="i" loading="lazy">');
    expect(html).not.toMatch(/javascript:|data:|docs\/setup\.md|shot\.png/);
  });

  it("shifts headings below the page's own", () => {
    expect(renderMarkdown("# Title\n\n###### Deep", { shift: 2 })).toBe("<h3>Title</h3>\n<h6>Deep</h6>\n");
  });
});
