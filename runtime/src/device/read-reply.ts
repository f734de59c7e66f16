/**
 * Reads a reply body as UTF-8 text with a cap on its size. A compressed body is decoded first
 * and the cap counts the decoded bytes: a few kilobytes of gzip can inflate to gigabytes.
 */
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import zlib from "node:zlib";

/** The body outgrew the cap; the caller destroys the request. */
export class ReplyTooLarge extends Error {}

function decoder(encoding: string | undefined): Readable | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

export function readReply(res: IncomingMessage, max: number): Promise<string> {
  const decode = decoder(res.headers["content-encoding"]);
  const declared = Number(res.headers["content-length"] ?? NaN);
  // Without content coding the declared length is the body's size: refuse before reading it.
  if (!decode && declared > max) return Promise.reject(new ReplyTooLarge());
  const body: Readable = decode ? res.pipe(decode as zlib.Gunzip) : res;
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      body.removeAllListeners("data");
      if (decode) decode.destroy();
      reject(error);
    };
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return stop(new ReplyTooLarge());
      chunks.push(chunk);
    });
    body.on("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    body.on("error", stop);
    if (decode) res.on("error", stop);
    // A connection that drops mid-body ends the message as aborted, not with an error.
    res.on("aborted", () => stop(new Error("the connection closed before the reply ended")));
  });
}
