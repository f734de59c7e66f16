import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactorFor } from "./redactor.js";

describe("createRedactor", () => {
  const r = createRedactor({ token: "tok-secret-1", nested: { password: "p@ss w/rd", list: ["key-in-list"] }, port: 8443 });

  it("replaces a secret wherever it appears in a text", () => {
    expect(r.text("a tok-secret-1 b tok-secret-1")).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(r.text("prefixtok-secret-1suffix")).toBe(`prefix${REDACTED}suffix`);
  });

  it("knows every string leaf of the credentials, nested and in lists, and longer numbers", () => {
    expect(r.text("p@ss w/rd / key-in-list / 8443")).toBe(`${REDACTED} / ${REDACTED} / ${REDACTED}`);
  });

  it("also removes the encodings a device call derives: percent-encoding, base64, JSON escaping", () => {
    const encoded = [encodeURIComponent("p@ss w/rd"), Buffer.from("tok-secret-1").toString("base64"), JSON.stringify('p@ss w/rd"').slice(1, -1)];
    expect(r.text(encoded.join(" "))).not.toMatch(/p%40ss|dG9rLXNlY3JldC0x/);
    expect(createRedactor({ q: 'say "hi"' }).text(JSON.stringify({ v: 'say "hi"' }))).toBe(`{"v":"${REDACTED}"}`);
  });

  it("redacts values deeply, keys included, and returns a copy", () => {
    const input = { msg: "tok-secret-1", list: [{ "tok-secret-1": 1 }], n: 5, ok: true, none: null };
    const out = r.value(input);
    expect(out).toEqual({ msg: REDACTED, list: [{ [REDACTED]: 1 }], n: 5, ok: true, none: null });
    expect(input.msg).toBe("tok-secret-1");
  });

  it("survives cycles in what it copies", () => {
    const a: Record<string, unknown> = { s: "tok-secret-1" };
    a.self = a;
    expect(r.value(a)).toEqual({ s: REDACTED, self: "[Circular]" });
  });

  it("removes a secret that contains another one whole", () => {
    const nested = createRedactor({ short: "abcd", long: "xxabcdyy" });
    expect(nested.text("xxabcdyy abcd")).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("ignores values too short to be secrets, so ordinary text survives", () => {
    const short = createRedactor({ pin: "12", flag: "yes" });
    expect(short.active).toBe(false);
    expect(short.text("yes 12")).toBe("yes 12");
  });

  it("takes extra secrets such as a derived header value", () => {
    expect(createRedactor({}, ["Basic YWRhOnB3"]).text("h: Basic YWRhOnB3")).toBe(`h: ${REDACTED}`);
  });

  it("treats regular-expression characters in a secret literally", () => {
    const special = createRedactor({ k: "a.b*c(d)" });
    expect(special.text("a.b*c(d) aXbbc(d)")).toBe(`${REDACTED} aXbbc(d)`);
  });
});

describe("redactorFor", () => {
  it("reuses the redactor of the same credentials and builds another for different ones", () => {
    const a = redactorFor({ token: "tok-reuse-1" });
    expect(redactorFor({ token: "tok-reuse-1" })).toBe(a);
    const b = redactorFor({ token: "tok-reuse-2" });
    expect(b).not.toBe(a);
    expect(b.text("tok-reuse-1 tok-reuse-2")).toBe(`tok-reuse-1 ${REDACTED}`);
    expect(redactorFor({ token: "tok-reuse-1" }, ["Bearer tok-reuse-1"])).not.toBe(a);
  });
});
