/**
 * Bump levels and the semver arithmetic of the version gate.
 *
 * 0.y.z follows semver's "anything may change" convention the way npm's caret ranges read it:
 * on 0.y.z a breaking change bumps y and an addition or a fix bumps z, so `^0.3.1` users never
 * receive a breaking change. Leaving 0.x for 1.0.0 always counts as a major bump.
 *
 * A prerelease base (2.0.0-beta.1) promises nothing yet, so any higher version follows it.
 */
import semver from "semver";

export const bumpLevels = ["none", "patch", "minor", "major"] as const;
export type BumpLevel = (typeof bumpLevels)[number];
/** The level of one change: a change is never "none". */
export type ChangeLevel = Exclude<BumpLevel, "none">;

export const levelRank = (level: BumpLevel): number => bumpLevels.indexOf(level);

export function maxLevel(levels: Iterable<BumpLevel>): BumpLevel {
  let out: BumpLevel = "none";
  for (const l of levels) if (levelRank(l) > levelRank(out)) out = l;
  return out;
}

/** The semver part to increment on `version` for a change of `level` (0.y.z shifts down one). */
export function effectiveLevel(level: BumpLevel, version: string): BumpLevel {
  if (level === "none" || semver.major(version) !== 0) return level;
  return level === "major" ? "minor" : "patch";
}

/** Whether going from `base` to `declared` is a big enough bump for `required`. */
export function isSufficient(base: string, declared: string, required: BumpLevel): boolean {
  if (required === "none") return semver.gte(declared, base);
  if (semver.prerelease(base)) return semver.gt(declared, base);
  const part = effectiveLevel(required, base) as ChangeLevel;
  // `-0` is the lowest prerelease of the next version, so 2.0.0-rc.1 satisfies a major bump of 1.4.0.
  return semver.gte(declared, `${semver.inc(base, part)!}-0`);
}

/** How `declared` relates to `base`, for the report. */
export type DeclaredBump = BumpLevel | "downgrade" | "prerelease";

export function declaredBump(base: string, declared: string): DeclaredBump {
  if (semver.lt(declared, base)) return "downgrade";
  const diff = semver.diff(base, declared);
  switch (diff) {
    case null:
      return "none";
    case "major":
    case "premajor":
      return "major";
    case "minor":
    case "preminor":
      return "minor";
    case "patch":
    case "prepatch":
      return "patch";
    default:
      return "prerelease";
  }
}

/**
 * The smallest release version that satisfies `required` over `base` and lies above every
 * version in `taken` (the registry's floor); null when no bump is required and base is free.
 */
export function suggestVersion(base: string, required: BumpLevel, taken: readonly string[]): string | null {
  const highest = highestVersion([base, ...taken])!;
  if (required === "none" && highest === base && !taken.includes(base)) return null;
  const part = effectiveLevel(required === "none" ? "patch" : required, highest) as ChangeLevel;
  return semver.inc(highest, part);
}

/** The highest of `versions` by semver precedence, or null for none. */
export function highestVersion(versions: readonly string[]): string | null {
  return versions.reduce<string | null>((a, b) => (a === null || semver.gt(b, a) ? b : a), null);
}
