/**
 * Mutated manifests and test cases through validate and through run's loaders, in process: none
 * may throw (an IH099 finding is a throw caught), and every rejection has a finding with a line.
 * The PRNG is seeded (mulberry32); a failure names the seed and the case, and
 * IHUB_FUZZ_SEED=<seed> replays the same inputs.
 */
import { cp, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodedError } from "@ihub/runtime/errors";
import { loadIntegration } from "@ihub/runtime";
import { parseTestCase } from "../harness/load-test-case.js";
import { runScope, validateIntegration, type RunScope } from "./validate-integration.js";

const SEED = Number(process.env.IHUB_FUZZ_SEED ?? 0x1b0b);
const MANIFESTS = 1500;
const CASES = 1500;
const MINIMAL = fileURLToPath(new URL("../../test-fixtures/validate/minimal/integrations/minimal", import.meta.url));
const CASE_FILE = "tests/ping.test.json";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values JSON.stringify cannot build safely (deep nesting) or that an object literal would turn
// into a prototype (`__proto__`) go in as markers and are spliced into the text afterwards.
const SPLICES: Record<string, string> = {
  "\u0000deep-array": `${"[".repeat(5000)}${"]".repeat(5000)}`,
  "\u0000deep-object": `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`,
  "\u0000just-too-deep": `${"[".repeat(101)}${"]".repeat(101)}`,
  "\u0000proto": '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "toString": 1}',
};

const SWAPS: (() => unknown)[] = [
  () => null,
  () => true,
  () => 42,
  () => -1e308,
  () => "",
  () => [],
  () => ({}),
  () => "x".repeat(200_000),
  () => "\u0000\u0007\u001b[31m\u202e\ud800 \r\n\t",
  ...Object.keys(SPLICES).map((marker) => () => marker),
];

type Mutation = { text: string; what: string };

function mutate(base: unknown, random: () => number): Mutation {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const value = structuredClone(base) as Record<string, unknown>;
  // Walk to a random container; the last step is where the mutation lands.
  let parent: Record<string, unknown> = value;
  let key = pick(Object.keys(parent));
  const trail = [key];
  while (random() < 0.6 && typeof parent[key] === "object" && parent[key] !== null && Object.keys(parent[key] as object).length > 0) {
    parent = parent[key] as Record<string, unknown>;
    key = pick(Object.keys(parent));
    trail.push(key);
  }
  const kind = pick(["swap", "swap", "delete", "rename", "truncate", "insert"] as const);
  let what = `${kind} /${trail.join("/")}`;
  if (kind === "delete") delete parent[key];
  else if (kind === "rename") {
    const to = pick(["__proto__", "constructor", "prototype", "\u0000", "a\u202eb", "x".repeat(10_000)]);
    what += ` -> ${JSON.stringify(to.slice(0, 12))}`;
    Object.defineProperty(parent, to, { value: parent[key], enumerable: true, configurable: true, writable: true });
    if (to !== key) delete parent[key];
  } else if (kind === "swap") {
    const swapped = pick(SWAPS)();
    what += ` = ${JSON.stringify(swapped).slice(0, 24)}`;
    parent[key] = swapped;
  }
  let text = JSON.stringify(value, null, 2);
  for (const [marker, splice] of Object.entries(SPLICES)) text = text.split(JSON.stringify(marker)).join(splice);
  if (kind === "truncate") text = text.slice(0, Math.floor(random() * text.length));
  if (kind === "insert") {
    const at = Math.floor(random() * text.length);
    text = text.slice(0, at) + pick(["{", "[", "}", ",", '"', "\u0000", "\\", "\n", "#", "'"]) + text.slice(at);
  }
  return { text, what };
}

let base: string;
let dir: string;
let scope: RunScope;
let manifest: unknown;
let testCase: unknown;
const ref = () => ({ slug: "fuzz", dir, relDir: "integrations/fuzz" });

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), "ihub-fuzz-")));
  dir = path.join(base, "integrations", "fuzz");
  await cp(MINIMAL, dir, { recursive: true });
  manifest = { ...JSON.parse(await readFile(path.join(dir, "integration.json"), "utf8")), slug: "fuzz" };
  testCase = JSON.parse(await readFile(path.join(dir, CASE_FILE), "utf8"));
  // One scope for the run, as validate has: verdicts on unchanged files (Lua, README) are memoised.
  scope = runScope(base, base);
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** Validate and run's loader on the folder as it is now; what either did wrong, or null. */
async function problemOf(label: string, extra: () => void = () => {}): Promise<string | null> {
  const result = await validateIntegration(ref(), scope);
  const crash = result.findings.find((f) => f.code === "IH099");
  if (crash) return `${label}: validate crashed: ${crash.message}`;
  const errors = result.findings.filter((f) => f.severity === "error");
  if (errors.length > 0 && !errors.some((f) => f.line !== null)) return `${label}: rejected without a line: ${errors.map((f) => f.code).join(", ")}`;
  try {
    await loadIntegration(dir);
    extra();
  } catch (error) {
    if (!(error instanceof CodedError)) return `${label}: run's loader threw ${String(error)}`;
  }
  if (({} as { polluted?: unknown }).polluted !== undefined) return `${label}: Object.prototype polluted`;
  return null;
}

describe(`fuzz (seed ${SEED}; IHUB_FUZZ_SEED replays)`, () => {
  it(`${MANIFESTS} mutated manifests and ${CASES} mutated test cases: no throw, a line for every rejection`, async () => {
    const random = mulberry32(SEED);
    const started = Date.now();
    const failures: string[] = [];
    const manifestFile = path.join(dir, "integration.json");
    const caseFile = path.join(dir, CASE_FILE);
    const goodManifest = JSON.stringify(manifest, null, 2);
    for (let i = 0; i < MANIFESTS; i++) {
      const m = mutate(manifest, random);
      await writeFile(manifestFile, m.text);
      const failure = await problemOf(`seed ${SEED} manifest #${i} (${m.what})`);
      if (failure) failures.push(failure);
    }
    await writeFile(manifestFile, goodManifest);
    for (let i = 0; i < CASES; i++) {
      const c = mutate(testCase, random);
      await writeFile(caseFile, c.text);
      const label = `seed ${SEED} test case #${i} (${c.what})`;
      const failure = await problemOf(label, () => {
        const parsed = parseTestCase(CASE_FILE, c.text);
        if (!parsed.ok && parsed.problems.some((p) => p.line === null)) throw new Error(`${label}: a case problem without a line`);
      });
      if (failure) failures.push(failure);
    }
    console.log(`fuzz: ${MANIFESTS + CASES} inputs, ${failures.length} failures, ${Date.now() - started} ms (seed ${SEED})`);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 120_000);
});
