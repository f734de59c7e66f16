/** The host's redacted copies of refusals: secrets leave, the code and the manifest field stay. */
import { describe, expect, it } from "vitest";
import { emptyRecord } from "./invocation-record.js";
import { createSandboxHost } from "./sandbox-host.js";
import { CtxError } from "./ctx-error.js";
import { createRedactor, REDACTED } from "../redact/redactor.js";
import { memoryStorage } from "../storage/memory-storage.js";
import { systemClock } from "../storage/install-store.js";
import { loadKitSink } from "../../test-support/test-integration.js";

const SECRET = "sk_live:Lovelace@host~1843";
const unused = { send: () => Promise.reject(new Error("no device call expected")) };

async function refusal(call: Parameters<ReturnType<typeof createSandboxHost>["call"]>) {
  const { manifest } = await loadKitSink();
  const credentials = { token: SECRET };
  const host = createSandboxHost({
    manifest,
    store: memoryStorage().forInstall("inst-1"),
    http: unused,
    sql: { query: () => Promise.reject(new Error("no sql expected")) },
    credentials,
    redactor: createRedactor(credentials),
    clock: systemClock,
    record: emptyRecord(),
  });
  return host.call(...call).then(
    () => expect.unreachable("the call was refused"),
    (error: unknown) => error,
  );
}

describe("ctx refusals leaving the host", () => {
  it("keep the code and the manifest field to change", async () => {
    const error = await refusal(["device.http", ["nope", { path: "/" }]]);
    expect(error).toBeInstanceOf(CtxError);
    expect(error).toMatchObject({ code: "UNDECLARED_ALIAS", field: "resources.nope", message: expect.stringContaining("declare it in integration.json at resources.nope") });
  });

  it("redact a secret in the message and in the field alike", async () => {
    const error = await refusal(["integration.containersGet", [SECRET, "k"]]);
    expect(error).toMatchObject({ code: "UNDECLARED_CONTAINER", field: `dataContainerSchemas.${REDACTED}` });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(SECRET);
  });
});
