/**
 * Pulls a request body piece by piece, at most as much as the caller asks for, so a reader
 * decides after each piece whether to go on. Nothing is read ahead beyond the stream's own
 * buffer, and a reader that stops early leaves the rest unread (the answer then closes the
 * connection). The iterator is never returned: returning it would destroy the request, and with
 * it the socket the refusal still has to be written to.
 */
import type { Readable } from "node:stream";
import { Refusal } from "./refusal.js";

export class BodyReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes handed out so far. */
  consumed = 0;

  constructor(body: Readable) {
    this.chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next piece of at most `max` bytes; null once the body has ended. */
  async next(max: number): Promise<Buffer | null> {
    if (!this.pending.length) {
      // The one way reading fails: the sender went away (Node destroys the request with "aborted").
      const step = await this.chunks.next().catch((cause: unknown) => {
        throw new Refusal(400, "IH_PUBLISH_ABORTED", `the connection closed before the request's end (${(cause as Error).message})`, "Retry the publish; nothing of this one was kept.");
      });
      if (step.done) return null;
      this.pending = step.value;
    }
    const piece = this.pending.subarray(0, max);
    this.pending = this.pending.subarray(piece.length);
    this.consumed += piece.length;
    return piece;
  }

  /** Gives back the tail of what was read, to be read again first: a reader that looked past a delimiter. */
  unread(tail: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([tail, this.pending]) : tail;
    this.consumed -= tail.length;
  }

  /** Exactly `n` bytes; null when the body ends before. */
  async exactly(n: number): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    for (let got = 0; got < n; ) {
      const piece = await this.next(n - got);
      if (!piece) return null;
      pieces.push(piece);
      got += piece.length;
    }
    return Buffer.concat(pieces, n);
  }

  /** The whole rest of the body, or null as soon as it would exceed `max` bytes. */
  async rest(max: number): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    for (let got = 0; ; ) {
      const piece = await this.next(max + 1 - got);
      if (!piece) return Buffer.concat(pieces);
      got += piece.length;
      if (got > max) return null;
      pieces.push(piece);
    }
  }
}
