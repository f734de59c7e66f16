import { describe, expect, it } from "vitest";
import { colorEnabled } from "./colors.js";

describe("colorEnabled", () => {
  it("is on a terminal, off elsewhere and on a dumb terminal", () => {
    expect(colorEnabled(true, { TERM: "xterm" })).toBe(true);
    expect(colorEnabled(false, { TERM: "xterm" })).toBe(false);
    expect(colorEnabled(true, { TERM: "dumb" })).toBe(false);
  });

  it("is off under a non-empty NO_COLOR, whatever else says, and an empty NO_COLOR changes nothing", () => {
    expect(colorEnabled(true, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled(false, { NO_COLOR: "", FORCE_COLOR: "1" })).toBe(true);
  });

  it("is forced by a FORCE_COLOR that is non-empty and not 0, even off a terminal", () => {
    expect(colorEnabled(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: "true", TERM: "dumb" })).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled(false, { FORCE_COLOR: "" })).toBe(false);
    expect(colorEnabled(true, { FORCE_COLOR: "0" })).toBe(true);
  });
});
