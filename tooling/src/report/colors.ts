import pc from "picocolors";

/**
 * Whether to colour output: never when NO_COLOR is set to a non-empty value (https://no-color.org),
 * always when FORCE_COLOR is non-empty and not "0" (even without a terminal), else on a terminal
 * whose TERM is not "dumb".
 */
export function colorEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return isTTY && env.TERM !== "dumb";
}

export const colors = pc.createColors(colorEnabled(Boolean(process.stdout.isTTY), process.env));
