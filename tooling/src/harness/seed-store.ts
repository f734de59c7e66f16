/**
 * Puts a case's pre-existing cache entries and container records into an install store. A
 * container record is held to the same rules as a handler's write (declared container, value
 * valid against its schema), so a case cannot start from a state the runtime would never hold.
 */
import type { Manifest } from "@ihub/runtime/manifest";
import { assertContainerValue, type InstallStore } from "@ihub/runtime";
import { toPointer } from "@ihub/runtime/json";
import type { TestCase } from "./test-case-schema.js";

export type SeedProblem = { pointer: string; message: string };

export async function seedStore(store: InstallStore, manifest: Manifest, fixtures: TestCase["fixtures"]): Promise<SeedProblem[]> {
  const problems: SeedProblem[] = [];
  for (const [key, value] of Object.entries(fixtures?.cache ?? {})) await store.cacheSet(key, value);
  for (const [name, records] of Object.entries(fixtures?.containers ?? {})) {
    const schema = Object.hasOwn(manifest.dataContainerSchemas ?? {}, name) ? manifest.dataContainerSchemas![name]! : undefined;
    if (!schema) {
      problems.push({ pointer: toPointer(["fixtures", "containers", name]), message: `container "${name}" is not declared in dataContainerSchemas` });
      continue;
    }
    for (const [key, value] of Object.entries(records)) {
      try {
        assertContainerValue(name, schema, value);
      } catch (error) {
        problems.push({ pointer: toPointer(["fixtures", "containers", name, key]), message: (error as Error).message });
        continue;
      }
      await store.containerSet(name, key, value);
    }
  }
  return problems;
}
