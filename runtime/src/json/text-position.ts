/** 1-based line and column of offsets into a text: the one mapping every reader's findings use. */
export type Position = { line: number; column: number };

export type TextPosition = Position & { offset: number };

/** Indexes line starts once, so a text with many findings pays one scan and a binary search each. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** The position of one offset, for a reader that reports a single problem. */
export function textPosition(text: string, offset: number): TextPosition {
  return { offset, ...new LineIndex(text).position(offset) };
}
