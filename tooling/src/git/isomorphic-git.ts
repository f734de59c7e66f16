/**
 * isomorphic-git, required rather than imported: it ships as one 570 kB CommonJS file, and an ESM
 * import of CommonJS first scans the whole source for its export names (about 30 ms of a start,
 * a tenth of what `ihub validate --changed` may take). Modules on that path import it from here.
 */
import { createRequire } from "node:module";

const git = createRequire(import.meta.url)("isomorphic-git") as typeof import("isomorphic-git").default;
export default git;
