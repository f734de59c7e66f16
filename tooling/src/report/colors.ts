import pc from "picocolors";

/** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export const colors = pc.createColors(Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env) && process.env.TERM !== "dumb");
