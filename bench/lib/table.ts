/** Prints a benchmark table: each row a measurement, its target, and its ratio to the baseline measured in the same run. */
export type BenchRow = {
  name: string;
  value: number;
  unit: string;
  /** The same-run baseline this row is compared with, in the same unit. */
  baseline?: { name: string; value: number };
  /** Human-readable target, e.g. "<= 5 s"; `met` says whether it was. */
  target?: { text: string; met: boolean };
};

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function printTable(title: string, rows: BenchRow[]): void {
  const cells = rows.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.name} ${fmt(r.baseline.value)} ${r.unit}` : "",
    r.baseline ? `${(r.value / r.baseline.value).toFixed(2)}x` : "",
    r.target ? `${r.target.text} ${r.target.met ? "ok" : "MISSED"}` : "",
  ]);
  const header = ["measurement", "value", "baseline", "ratio", "target"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(widths[i]!)).join(" | ") + " |";
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  for (const c of cells) console.log(line(c));
  console.log();
}

/** Percentile of already-collected samples (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
