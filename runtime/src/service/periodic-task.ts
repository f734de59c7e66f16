/**
 * Background work on an interval (registry polls, retention sweeps): one run at a time, the next
 * `everyMs` after the previous one ended, errors logged and never fatal, and `stop()` waits for
 * a run in flight so shutdown does not cut a transaction's caller off.
 */
import type { FastifyBaseLogger } from "fastify";

export function periodicTask(name: string, everyMs: number, run: () => Promise<unknown>, log: FastifyBaseLogger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = true;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run()
        .then(
          () => undefined,
          (error: unknown) => log.error({ err: error }, `${name} failed`),
        )
        .finally(() => {
          running = null;
          schedule(everyMs);
        });
    }, delay);
    timer.unref();
  };
  return {
    /** The first run comes at once: a restart catches up before waiting a whole interval. */
    start(): void {
      stopped = false;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
