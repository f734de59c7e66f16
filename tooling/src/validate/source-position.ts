/**
 * Maps byte offsets and JSON pointers back to `line:column` in the source text, so a finding
 * points where an editor can jump to. Parsing the tree is deferred until a finding needs it:
 * valid files never pay for it.
 */
import { parseTree, type Node } from "jsonc-parser";
import { fromPointer, LineIndex, type Position } from "@ihub/runtime/json";

export type { Position };

/** A JSON text whose pointers can be located; the tree is built on the first lookup. */
export class JsonLocator {
  private tree: Node | undefined;
  private lines: LineIndex | undefined;

  constructor(private readonly text: string) {}

  /**
   * Position of the value at `pointer`, or of its property key when `key` is set. A pointer
   * that does not exist (a missing required property) resolves to its deepest existing parent.
   */
  locate(pointer: string, key = false): Position {
    this.tree ??= parseTree(this.text);
    this.lines ??= new LineIndex(this.text);
    let node = this.tree;
    if (!node) return { line: 1, column: 1 };
    let keyNode: Node | undefined;
    for (const segment of fromPointer(pointer)) {
      let next: Node | undefined;
      if (node.type === "object") {
        const prop: Node | undefined = node.children?.find((p) => p.children?.[0]?.value === segment);
        keyNode = prop?.children?.[0];
        next = prop?.children?.[1];
      } else if (node.type === "array" && /^\d+$/.test(segment)) {
        next = node.children?.[Number(segment)];
        keyNode = undefined;
      }
      if (!next) {
        keyNode = undefined;
        break;
      }
      node = next;
    }
    return this.lines.position(key && keyNode ? keyNode.offset : node.offset);
  }
}
