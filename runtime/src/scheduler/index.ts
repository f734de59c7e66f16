/** `@ihub/runtime/scheduler`: the timer interval syntax the scheduler runs and the validator checks. */
export { INTERVAL_PATTERN } from "./timer-schedule.js";
