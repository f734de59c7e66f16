/**
 * The `ihub` process (tooling/bin/ihub.js runs the compiled form of this module). Besides running
 * main(), it makes sure a crash outside any verb's error handling (a throw in a timer or event
 * handler, a rejected promise nobody awaits) ends with EXIT.internal, not Node's default 1,
 * which CI would read as findings.
 */
import { EXIT } from "../errors.js";
import { main } from "./main.js";
import { reportError } from "./report-error.js";

const argv = process.argv.slice(2);
const crash = (error: unknown) => {
  reportError(error, argv.includes("--json"));
  process.exit(EXIT.internal);
};
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

process.exitCode = await main(argv);
