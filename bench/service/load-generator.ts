/**
 * autocannon in its own process, so the load generator does not share the measured server's
 * event loop. Reads its settings as JSON from argv and prints one JSON line of results; the
 * request paths rotate, so load spreads across installs.
 */
import autocannon from "autocannon";

export type LoadSettings = { url: string; paths: string[]; connections: number; seconds: number; headers: Record<string, string>; body: string };
export type LoadResult = { rps: number; p50: number; p99: number; failures: number; requests: number };

const settings = JSON.parse(process.argv[2]!) as LoadSettings;
let next = 0;
const result = await autocannon({
  url: settings.url,
  connections: settings.connections,
  duration: settings.seconds,
  method: "POST",
  headers: settings.headers,
  body: settings.body,
  requests: [{ setupRequest: (req) => ({ ...req, path: settings.paths[next++ % settings.paths.length]! }) }],
});
const out: LoadResult = { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures: result.non2xx + result.errors + result.timeouts, requests: result.requests.total };
process.stdout.write(JSON.stringify(out) + "\n");
