/**
 * The `ihub` process (tooling/bin/ihub.js runs the compiled form of this module). Besides running
 * main(), it makes sure a crash outside any verb's error handling (a module that fails to load, a
 * throw in a timer or event handler, a rejected promise nobody awaits) ends with EXIT.internal,
 * not Node's default 1, which CI would read as findings.
 */
import { EXIT } from "../errors.js";
import { reportError } from "./report-error.js";

const argv = process.argv.slice(2);
function crash(error: unknown): never {
  reportError(error, argv.includes("--json"));
  process.exit(EXIT.internal);
}
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

// Imported once the handlers are in place, so a failure to load the CLI is a crash like any other.
const { main } = await import("./main.js").catch(crash);
process.exitCode = await main(argv);
