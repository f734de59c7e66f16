/**
 * Progress for long work, on stderr so `--json` output on stdout stays clean. On a terminal it
 * redraws one line; elsewhere (CI logs) it prints a line every tenth of the way.
 */
export type Progress = { tick(label?: string): void; done(): void };

export function progress(title: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let n = 0;
  let lastDecile = -1;
  const tty = Boolean(stream.isTTY);
  const quiet = total < 20 || process.env.IHUB_QUIET === "1";
  return {
    tick(label) {
      n++;
      if (quiet) return;
      if (tty) {
        stream.write(`\r\x1b[2K${title} ${n}/${total}${label ? ` ${label}` : ""}`);
      } else {
        const decile = Math.floor((n * 10) / total);
        if (decile !== lastDecile) {
          lastDecile = decile;
          stream.write(`${title} ${n}/${total}\n`);
        }
      }
    },
    done() {
      if (!quiet && tty) stream.write("\r\x1b[2K");
    },
  };
}
