// Entry of a validation worker thread. Sources are TypeScript: register tsx in this thread (loader
// hooks are per thread) before loading the worker body, as tooling/bin/ihub.js does for the CLI.
import { register } from "tsx/esm/api";
register();
await import("./validate-worker.ts");
