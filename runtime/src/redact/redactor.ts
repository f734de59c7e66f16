/**
 * Removes credential values from anything that leaves an invocation: log lines, error messages,
 * emitted events, outputs and request records. A secret is replaced wherever it appears, also
 * inside longer strings and nested fields, together with the encodings a device call derives
 * from it (base64 for basic auth, percent-encoding for URLs).
 */
export const REDACTED = "[REDACTED]";

/** Shorter values would redact ordinary words and digits; such credentials are rejected at install time instead. */
const MIN_SECRET_LENGTH = 4;

export type Redactor = {
  /** The same text with every secret replaced by [REDACTED]. */
  text(value: string): string;
  /** A deep copy with every string (keys included) redacted; the input is never mutated. */
  value<T>(value: T): T;
  /** True when the redactor knows at least one secret. */
  readonly active: boolean;
};

function stringLeaves(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > 32) return;
  if (typeof value === "string") out.add(value);
  else if (typeof value === "number" && String(value).length >= MIN_SECRET_LENGTH) out.add(String(value));
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) stringLeaves(v, out, depth + 1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A redactor for every string value of `credentials` (and any `extra` secret such as a derived
 * header value). Longer secrets are matched first so a secret containing another is removed whole.
 */
export function createRedactor(credentials: unknown, extra: readonly string[] = []): Redactor {
  const raw = new Set<string>();
  stringLeaves(credentials, raw);
  for (const e of extra) raw.add(e);
  const secrets = new Set<string>();
  for (const s of raw) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    secrets.add(s);
    secrets.add(encodeURIComponent(s));
    secrets.add(Buffer.from(s, "utf8").toString("base64"));
    secrets.add(JSON.stringify(s).slice(1, -1));
  }
  const ordered = [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const pattern = ordered.length > 0 ? new RegExp(ordered.map(escapeRegExp).join("|"), "g") : null;

  const text = (s: string) => (pattern ? s.replace(pattern, REDACTED) : s);
  const deep = (v: unknown, seen: WeakSet<object>): unknown => {
    if (typeof v === "string") return text(v);
    if (typeof v !== "object" || v === null) return v;
    if (seen.has(v)) return "[Circular]";
    seen.add(v);
    const copy = Array.isArray(v) ? v.map((x) => deep(x, seen)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), deep(x, seen)]));
    seen.delete(v);
    return copy;
  };
  return {
    text,
    value: <T>(v: T) => (pattern ? (deep(v, new WeakSet()) as T) : v),
    active: pattern !== null,
  };
}

/** Redactors by credential set: an install sends the same credentials call after call, and building the pattern is the costly part. */
const recent = new Map<string, Redactor>();
// As many as the runtime service has warm sandboxes: each of its installs has its own credentials,
// and a redactor rebuilt every run costs more than the run.
const MAX_RECENT = 4096;

/** createRedactor, reusing the redactor built for the same credentials and extra secrets. */
export function redactorFor(credentials: unknown, extra: readonly string[] = []): Redactor {
  const key = JSON.stringify([credentials, extra]);
  let redactor = recent.get(key);
  if (redactor) {
    // Re-inserted so the map's order is least recently used first.
    recent.delete(key);
  } else {
    redactor = createRedactor(credentials, extra);
    if (recent.size >= MAX_RECENT) recent.delete(recent.keys().next().value!);
  }
  recent.set(key, redactor);
  return redactor;
}
