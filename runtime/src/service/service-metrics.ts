/**
 * Prometheus metrics of one runtime (prom-client), on a registry of its own so two runtimes in
 * one process (tests) do not share counters. Queue depth is read from the store at scrape time,
 * so it is right after a restart too.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createServiceMetrics(queueDepth: () => Promise<number>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "ihub_runtime_" });
  const requests = new Counter({ name: "ihub_http_requests_total", help: "HTTP requests answered, by route and status.", labelNames: ["method", "route", "status"], registers: [registry] });
  const runDuration = new Histogram({
    name: "ihub_run_duration_seconds",
    help: "Duration of handler runs, by integration handler, trigger and outcome.",
    labelNames: ["handler", "trigger", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const timerLateness = new Histogram({
    name: "ihub_timer_lateness_seconds",
    help: "How long after its slot a timer run started.",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 60],
    registers: [registry],
  });
  const versionSwitches = new Counter({
    name: "ihub_version_switches_total",
    help: "Upgrade and rollback attempts that reached a decision, by outcome: upgraded, blocked (pending consent or a fitting config), current, rolled_back.",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const retentionPurged = new Counter({ name: "ihub_retention_purged_total", help: "Rows the retention sweep deleted, by kind: runs, jobs, events, idempotency.", labelNames: ["kind"], registers: [registry] });
  const timerSkipped = new Counter({ name: "ihub_timer_slots_skipped_total", help: "Timer slots skipped because the previous run of the timer was still going.", registers: [registry] });
  new Gauge({
    name: "ihub_queue_depth",
    help: "Jobs (event deliveries and timer runs) pending or running.",
    registers: [registry],
    async collect() {
      this.set(await queueDepth());
    },
  });
  return { registry, requests, runDuration, timerLateness, timerSkipped, versionSwitches, retentionPurged };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
