import { describe, expect, it } from "vitest";
import { timeOrderedId } from "./time-ordered-id.js";

describe("timeOrderedId", () => {
  it("is a version 7 UUID that sorts by its time", () => {
    const early = timeOrderedId(Date.UTC(2026, 0, 1));
    const late = timeOrderedId(Date.UTC(2026, 0, 1) + 1);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(early.slice(0, 13)).toBe("019b76da-a800");
    expect(early < late).toBe(true);
    expect(timeOrderedId(0)).not.toBe(timeOrderedId(0));
  });
});
