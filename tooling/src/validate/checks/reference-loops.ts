/**
 * References that lead back to where they started without reaching into the value, such as
 * `{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}}`: evaluating
 * one never ends (ajv's validator overflows its stack on the first value). Only in-place
 * applicators continue a loop; `properties`, `items` and the like move to a smaller part of the
 * value, so recursion through them ends. The search is iterative, so a long chain of references
 * in a large manifest cannot overflow validate's own stack.
 */
import type { Reference } from "./schema-references.js";
import { forEachSubschema, isSchemaObject } from "./subschemas.js";

const IN_PLACE = new Set(["allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"]);

type Edge = { to: object; via: Reference | null };
type Frame = { node: object; edges: Edge[]; next: number; via: Reference | null };

/** One reference of each loop among `references` (those of `schema`, from schemaReferences). */
export function loopingReferences(schema: unknown, references: readonly Reference[]): Reference[] {
  const refsFrom = new Map<object, Reference[]>();
  for (const r of references) if (r.from && isSchemaObject(r.to)) refsFrom.set(r.from, [...(refsFrom.get(r.from) ?? []), r]);
  if (refsFrom.size === 0) return []; // no local reference, no loop

  const edgesOf = (node: object): Edge[] => {
    const edges: Edge[] = [];
    forEachSubschema(node as Record<string, unknown>, (sub, [key]) => {
      if (IN_PLACE.has(String(key)) && isSchemaObject(sub)) edges.push({ to: sub, via: null });
    });
    for (const r of refsFrom.get(node) ?? []) edges.push({ to: r.to as object, via: r });
    return edges;
  };

  const state = new Map<object, "active" | "done">();
  const looping = new Set<Reference>();
  const search = (start: object) => {
    const stack: Frame[] = [{ node: start, edges: edgesOf(start), next: 0, via: null }];
    state.set(start, "active");
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const edge = frame.edges[frame.next++];
      if (!edge) {
        state.set(frame.node, "done");
        stack.pop();
        continue;
      }
      const seen = state.get(edge.to);
      if (seen === "active") {
        // A loop: the edges from edge.to down the stack to here; every loop has a reference in it, since subschemas alone form a tree.
        let via = edge.via;
        for (let i = stack.length - 1; !via && i > 0 && stack[i]!.node !== edge.to; i--) via = stack[i]!.via;
        if (via) looping.add(via);
      } else if (!seen) {
        state.set(edge.to, "active");
        stack.push({ node: edge.to, edges: edgesOf(edge.to), next: 0, via: edge.via });
      }
    }
  };
  const every = (node: unknown) => {
    if (!isSchemaObject(node)) return;
    if (!state.has(node)) search(node);
    forEachSubschema(node, (sub) => every(sub));
  };
  every(schema);
  return [...looping];
}
