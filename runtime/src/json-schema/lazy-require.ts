/**
 * ajv and its format packages, loaded on first use rather than on import: `ihub validate` imports
 * this entry for the annotation keywords and, with the precompiled validators of a build, never
 * compiles anything, so it should not pay for loading ajv's compiler (about 100 ms). They are
 * CommonJS, so a synchronous require can load them where a compile first needs them.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A getter of the module `id`, or of its export `name`, required on the first call. */
export function lazyRequire<T>(id: string, name?: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= name === undefined ? (require(id) as T) : (require(id) as Record<string, T>)[name]!);
}
