/**
 * The version gate's plan for one integration: from its state at the base and at HEAD plus the
 * versions the registry already holds, the bump it requires, whether the declared version is
 * enough, why, and what to use instead. Pure: tests of the plan need no disk and no git.
 *
 * A bump is required exactly when the bundle's content digest changed; its level is the highest
 * level among the contract reasons (contract-diff.ts), at least patch. New integrations need no
 * bump. Every declared version must lie above the registry's highest version unless it is that
 * very version published with the same content (published versions are immutable).
 */
import semver from "semver";
import type { Finding } from "../findings/finding.js";
import { declaredBump, highestVersion, isSufficient, maxLevel, suggestVersion, type BumpLevel, type DeclaredBump } from "./bump-level.js";
import { contractChanges, fileChanges, type Reason } from "./contract-diff.js";
import type { PublishedVersion, Side, Snapshot } from "./snapshot.js";

export type VersionStatus = "changed" | "unchanged" | "new" | "removed" | "invalid";

export type VersionPlan = {
  slug: string;
  status: VersionStatus;
  baseVersion: string | null;
  declaredVersion: string | null;
  /** What the declared version is relative to the base one (null without both). */
  declaredBump: DeclaredBump | null;
  required: BumpLevel;
  /** True when the declared version passes every check (no error finding). */
  sufficient: boolean;
  /** The smallest version that would pass, when the declared one does not (or null). */
  suggested: string | null;
  baseDigest: string | null;
  headDigest: string | null;
  /** Highest version in the registry, or null when it holds none. */
  registryFloor: string | null;
  reasons: Reason[];
  findings: Finding[];
};

export type VersionInput = { slug: string; base: Side; head: Side; published: readonly PublishedVersion[] };

const ZERO_NOTE = " (on 0.y.z a breaking change bumps y, anything else bumps z)";

function finding(slug: string, head: Snapshot | null, f: Pick<Finding, "code" | "message" | "hint"> & Partial<Finding>): Finding {
  return { severity: "error", integration: slug, file: head?.manifestFile ?? null, line: head?.versionAt.line ?? null, column: head?.versionAt.column ?? null, pointer: "/version", ...f };
}

const digestOf = (side: Side) => (side.kind === "present" ? side.snapshot.contentDigest : null);
const versionOf = (side: Side) => (side.kind === "present" ? side.snapshot.manifest.version : null);

function registryFindings(slug: string, head: Snapshot, published: readonly PublishedVersion[], suggested: () => string | null): Finding[] {
  const declared = head.manifest.version;
  const same = published.find((p) => p.version === declared);
  if (same) {
    if (same.contentDigest === head.contentDigest) return [];
    return [
      finding(slug, head, {
        code: "IH_VERSION_IMMUTABLE",
        message: `${slug}@${declared} is already published with other content (registry ${same.contentDigest.slice(0, 12)}…, here ${head.contentDigest.slice(0, 12)}…)`,
        hint: `Published versions never change: set "version" to ${suggested()} and add a CHANGELOG entry.`,
      }),
    ];
  }
  const floor = highestVersion(published.map((p) => p.version));
  if (floor !== null && !semver.gt(declared, floor)) {
    return [
      finding(slug, head, {
        code: "IH_VERSION_BELOW_REGISTRY",
        message: `${slug}@${declared} is not above ${floor}, the highest version in the registry`,
        hint: `The registry keeps every version ever published, also of a deleted integration: use ${suggested()}.`,
      }),
    ];
  }
  return [];
}

function bumpFindings(slug: string, head: Snapshot, base: string, required: BumpLevel, suggested: string | null): Finding[] {
  if (required === "none") return [];
  const declared = head.manifest.version;
  const hint = `Set "version" to ${suggested} and add a CHANGELOG entry.`;
  const bump = declaredBump(base, declared);
  if (bump === "downgrade") return [finding(slug, head, { code: "IH_VERSION_DOWNGRADE", message: `version went down from ${base} to ${declared}`, hint })];
  if (bump === "none") return [finding(slug, head, { code: "IH_VERSION_NOT_BUMPED", message: `the bundle changed (a ${required} change) but the version stays ${base}`, hint })];
  if (!isSufficient(base, declared, required)) {
    const zero = semver.major(base) === 0 ? ZERO_NOTE : "";
    return [finding(slug, head, { code: "IH_VERSION_INSUFFICIENT", message: `${base} -> ${declared} is a ${bump} bump, the changes need ${required}${zero}`, hint })];
  }
  return [];
}

export function planVersion(input: VersionInput): VersionPlan {
  const { slug, base, head, published } = input;
  const taken = published.map((p) => p.version);
  const plan: VersionPlan = {
    slug,
    status: "unchanged",
    baseVersion: versionOf(base),
    declaredVersion: versionOf(head),
    declaredBump: null,
    required: "none",
    sufficient: true,
    suggested: null,
    baseDigest: digestOf(base),
    headDigest: digestOf(head),
    registryFloor: highestVersion(taken),
    reasons: [],
    findings: [],
  };

  if (head.kind === "absent") return { ...plan, status: "removed" };
  if (head.kind === "invalid") {
    const { code, message, file, pointer, at } = head.error;
    return {
      ...plan,
      status: "invalid",
      sufficient: false,
      findings: [{ code, severity: "error", integration: slug, file: file ?? null, line: at?.line ?? null, column: at?.column ?? null, pointer: pointer ?? null, message, hint: "Run `ihub validate` for every problem with a hint." }],
    };
  }

  const now = head.snapshot;
  if (base.kind !== "present") {
    // A new integration promises nothing yet; it only has to stay clear of the registry's history.
    plan.status = "new";
    if (base.kind === "invalid") {
      plan.findings.push({ ...finding(slug, now, { code: "IH_VERSION_BASE_UNREADABLE", message: `the base version could not be read (${base.error.message}); compared as a new integration`, hint: "Nothing to fix here if the base was broken." }), severity: "warning", line: null, column: null, pointer: null });
    }
    plan.findings.push(...registryFindings(slug, now, published, () => suggestVersion(now.manifest.version, "major", taken)));
  } else {
    const before = base.snapshot;
    plan.declaredBump = declaredBump(before.manifest.version, now.manifest.version);
    if (before.contentDigest !== now.contentDigest) {
      plan.status = "changed";
      plan.reasons = [...contractChanges(before, now), ...fileChanges(before, now)];
      plan.required = maxLevel(plan.reasons.map((r) => r.level));
    }
    const suggested = () => suggestVersion(before.manifest.version, plan.required === "none" ? "patch" : plan.required, taken);
    plan.findings.push(...bumpFindings(slug, now, before.manifest.version, plan.required, suggested()));
    plan.findings.push(...registryFindings(slug, now, published, suggested));
    if (plan.findings.some((f) => f.severity === "error")) plan.suggested = suggested();
  }
  if (plan.findings.some((f) => f.severity === "error")) {
    plan.sufficient = false;
    plan.suggested ??= suggestVersion(now.manifest.version, "major", taken);
  }
  return plan;
}
