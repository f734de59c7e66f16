/**
 * Runs the work that has no caller. Each step fires the timers that are due (one job per slot,
 * written together with the timer's next fire time, so a slot is claimed once) and starts the
 * jobs that are due. An event delivery that fails is retried with exponential backoff until its
 * last attempt, whose run is kept as a dead letter; a timer slot is tried once.
 * `tick()` does one step and waits for the jobs it started, which is how tests drive it on a
 * fake clock; `start()` polls in the background for the service.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Job } from "../scheduler/job-queue.js";
import { planTimerStep } from "../scheduler/timer-schedule.js";
import type { ServiceStore } from "../service-store/service-store.js";
import type { Clock } from "../storage/install-store.js";
import { isFinalFailure, type RunExecutor } from "./run-executor.js";
import type { ServiceMetrics } from "./service-metrics.js";

export type WorkerPolicy = {
  /** Jobs run at once by this worker. */
  concurrency: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  pollMs: number;
};

// Jobs are claimed within each tenant's concurrency cap, which is what bounds a tenant; this
// bound is for the process, high enough that due timers and deliveries of many tenants start
// together rather than in waves behind one another.
export const DEFAULT_WORKER_POLICY: WorkerPolicy = { concurrency: 1024, backoffBaseMs: 1000, backoffMaxMs: 300_000, pollMs: 50 };

function backoffMs(policy: WorkerPolicy, attempt: number): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
}

type Deps = { store: ServiceStore; runner: RunExecutor; clock: Clock; metrics: ServiceMetrics; log: FastifyBaseLogger; policy: WorkerPolicy };

export function createJobWorker(deps: Deps) {
  const { store, runner, clock, metrics, policy } = deps;
  const active = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let stepping: Promise<void> | null = null;

  async function fireTimers(): Promise<void> {
    const now = clock.now();
    const due = await store.dueTimers(now);
    const moves = due.map((t) => {
      const plan = planTimerStep(t.schedule, t.nextAt, now);
      return { installId: t.installId, handler: t.handler, expectedNextAt: t.nextAt, nextAt: plan.nextAt, fire: t.busy ? null : { slot: plan.slot, maxAttempts: 1 } };
    });
    const moved = await store.advanceTimers(moves);
    moves.forEach((m, i) => {
      if (!moved[i] || m.fire) return;
      metrics.timerSkipped.inc();
      deps.log.warn({ installId: m.installId, handler: m.handler, slot: new Date(m.expectedNextAt).toISOString() }, "timer slot skipped: the previous run is still going");
    });
  }

  /** False when the job went back to the queue unrun (its tenant is at its cap). */
  async function runJob(job: Job): Promise<boolean> {
    const install = await store.getInstall(job.tenantId, job.installId);
    if (!install) return store.jobs.complete(job.id).then(() => true);
    if (runner.atCap(job.tenantId)) return store.jobs.release(job.id).then(() => false);
    if (job.kind === "timer") metrics.timerLateness.observe(Math.max(0, clock.now() - Date.parse(job.ref)) / 1000);
    let last = job.kind === "timer" || job.attempts >= job.maxAttempts;
    let ok = false;
    try {
      const { result } = await runner.run({ install, handler: job.handler, input: job.payload, trigger: job.kind, triggerRef: job.ref, attempt: job.attempts, lastAttempt: last });
      ok = result.ok;
      last = isFinalFailure(result, last);
    } catch (error) {
      deps.log.error({ err: error, jobId: job.id }, "job failed");
    }
    if (ok || job.kind === "timer") await store.jobs.complete(job.id);
    else if (last) await store.jobs.bury(job.id);
    // The PostgreSQL queue (pg-boss) applies its own backoff; this one is the embedded queue's.
    else await store.jobs.retry(job.id, clock.now() + backoffMs(policy, job.attempts));
    return true;
  }

  async function startJobs(): Promise<Promise<void>[]> {
    const room = policy.concurrency - active.size;
    if (room <= 0) return [];
    const started = (await store.jobs.claim(clock.now(), room, runner.room())).map((job) => {
      // A finished job makes room: the next step starts at once instead of at the next poll. A job
      // put back unrun waits for the poll, or a tenant at its cap would be claimed again in a loop.
      const p: Promise<void> = runJob(job)
        .catch((error) => {
          deps.log.error({ err: error, jobId: job.id }, "job bookkeeping failed");
          return true;
        })
        .then((ran) => {
          active.delete(p);
          if (ran && !stopped) nudge();
        });
      active.add(p);
      return p;
    });
    return started;
  }

  async function step(): Promise<Promise<void>[]> {
    await fireTimers();
    return startJobs();
  }

  /** Until the next poll, or sooner when a timer is due before it: timers fire on their slot, not up to a poll late. */
  async function nextDelay(): Promise<number> {
    const at = await store.nextTimerAt();
    return at === null ? policy.pollMs : Math.min(policy.pollMs, Math.max(0, at - clock.now()));
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // A step that started jobs is followed by another at once: a queue that fetches in batches may have more due.
      stepping ??= step()
        .then((started) => (started.length > 0 ? 0 : nextDelay()))
        .then(
          (next) => next,
          (error) => {
            deps.log.error({ err: error }, "worker step failed");
            return policy.pollMs;
          },
        )
        .then((next) => {
          stepping = null;
          schedule(next);
        });
    }, delay);
    timer.unref();
  }

  /** Run a step now (an event was published, a job finished) rather than at the next poll. */
  function nudge(): void {
    if (!stepping) schedule(0);
  }

  return {
    /** One step on the current clock, waiting for the jobs it started. */
    async tick(): Promise<void> {
      await Promise.allSettled(await step());
    },
    start(): void {
      stopped = false;
      schedule(0);
    },
    nudge,
    /** Stops polling and waits for the jobs in flight. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await stepping;
      while (active.size > 0) await Promise.allSettled([...active]);
    },
  };
}

export type JobWorker = ReturnType<typeof createJobWorker>;
