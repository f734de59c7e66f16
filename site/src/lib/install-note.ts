/**
 * What an install spec takes, in words. The spec's range is `^<major>`, or `^0.<minor>` before
 * 1.0 (build-entry.ts, caretRange), and the two follow different parts of the version: a `^0.4`
 * range stays on 0.4.x, since before 1.0 a new minor may break.
 */
export function installNote(spec: string): string {
  const range = spec.slice(spec.lastIndexOf("@") + 1);
  const zero = /^\^0\.(\d+)$/.exec(range);
  if (zero) return `Takes 0.${zero[1]}.x patch releases only: before 1.0 a new minor may break, so 0.${Number(zero[1]) + 1}.0 is not taken`;
  const major = /^\^(\d+)$/.exec(range);
  if (major) return `Takes every ${major[1]}.x minor and patch release, never ${Number(major[1]) + 1}.0.0`;
  return "Pinned to this exact version";
}
