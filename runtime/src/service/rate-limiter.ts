/**
 * Per-install request budget: a fixed window on the injected clock, so tests need no waiting.
 * It lives in memory on purpose: a restart forgetting a window only forgives some requests,
 * and a fleet shares the limit behind its load balancer (later issue).
 */
import type { Clock } from "../storage/install-store.js";

export type RateLimit = { requests: number; windowMs: number };

export function createRateLimiter(limit: RateLimit, clock: Clock) {
  const windows = new Map<string, { start: number; used: number }>();
  return {
    /** null when allowed; otherwise the seconds until the window resets (for Retry-After). */
    take(key: string): number | null {
      const now = clock.now();
      const start = now - (now % limit.windowMs);
      let w = windows.get(key);
      if (!w || w.start !== start) {
        // Old windows are dropped as the clock passes them, so the map stays as large as the set of active installs.
        if (windows.size > 10_000) for (const [k, v] of windows) if (v.start !== start) windows.delete(k);
        windows.set(key, (w = { start, used: 0 }));
      }
      if (w.used >= limit.requests) return Math.max(1, Math.ceil((start + limit.windowMs - now) / 1000));
      w.used++;
      return null;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
