/**
 * One integration test case (`integrations/<slug>/tests/*.test.json|yaml`), defined once with zod;
 * `schemas/integration-test.schema.json` is generated from it.
 */
import { z } from "zod";

const json = z.unknown();
const headers = z.record(z.string(), z.string());

export const httpRequestMatchSchema = z
  .strictObject({
    method: z.string().min(1).describe("HTTP method, e.g. GET."),
    path: z.string().min(1).describe("Path the handler calls, without the binding's base URL."),
    query: z.record(z.string(), z.string()).optional().describe("Query parameters that must be present with these values."),
    headers: headers.optional().describe("Headers that must be present with these values (case-insensitive names)."),
    json: json.optional().describe("JSON body the request must carry (deep equality)."),
    body: z.string().optional().describe("Raw body the request must carry."),
  })
  .describe("What a recorded HTTP request must look like to match.");

export const httpFixtureSchema = z
  .strictObject({
    alias: z.string().min(1).describe("Resource alias the handler calls."),
    request: httpRequestMatchSchema,
    response: z
      .strictObject({
        status: z.number().int().min(100).max(599).default(200),
        headers: headers.optional(),
        json: json.optional().describe("JSON reply body."),
        body: z.string().optional().describe("Raw reply body."),
      })
      .optional()
      .describe("The recorded reply (give either response or error)."),
    error: z
      .strictObject({
        code: z.enum(["HTTP_TIMEOUT", "HTTP_TRANSPORT"]).describe("HTTP_TIMEOUT: no answer in time; HTTP_TRANSPORT: the connection failed."),
        message: z.string().optional(),
      })
      .optional()
      .describe("A transport failure instead of a reply: the call raises { code, message } as the live transport would."),
    times: z.number().int().min(1).optional().describe("How many times this fixture may match (once by default)."),
    optional: z.boolean().optional().describe("May go unused; by default a fixture the handler never called fails the case."),
  })
  .describe("A recorded HTTP exchange.");

export const sqlFixtureSchema = z
  .strictObject({
    alias: z.string().min(1),
    query: z.string().min(1).describe("SQL text; matched after collapsing whitespace."),
    params: z.array(json).optional().describe("Bound parameters that must match."),
    rows: z.array(z.record(z.string(), json)).optional().describe("Rows the query returns."),
    error: z.string().optional().describe("Error message the driver raises instead of returning rows."),
    times: z.number().int().min(1).optional().describe("How many times this fixture may match (once by default)."),
    optional: z.boolean().optional().describe("May go unused; by default a fixture the handler never called fails the case."),
  })
  .describe("A recorded SQL query and its rows.");

export const testCaseSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).describe("What the case shows."),
    handler: z.string().min(1).describe("Handler name from the manifest."),
    input: json.optional().describe("Input passed to the handler (rpc and event handlers)."),
    config: z.record(z.string(), json).optional().describe("Install configuration (ctx.config)."),
    credentials: z.record(z.string(), json).optional().describe("Install credentials, injected by the runtime into device calls."),
    clock: z.string().optional().describe("ISO 8601 time the fake clock starts at."),
    event: z.strictObject({ topic: z.string(), payload: json }).optional().describe("Event delivered to an event handler."),
    fixtures: z
      .strictObject({
        http: z.array(httpFixtureSchema).optional(),
        sql: z.array(sqlFixtureSchema).optional(),
        cache: z.record(z.string(), json).optional().describe("Cache entries present before the call."),
        containers: z.record(z.string(), z.record(z.string(), json)).optional().describe("Container records present before the call: container -> key -> value."),
      })
      .optional(),
    expect: z
      .strictObject({
        output: json.optional().describe("Expected rpc output (deep equality)."),
        error: z
          .strictObject({ code: z.string(), message: z.string().optional() })
          .optional()
          .describe("Expected error result: its code and optionally a substring of its message."),
        cache: z.record(z.string(), json).optional().describe("Cache entries expected after the call (only these keys are compared)."),
        containers: z.record(z.string(), z.record(z.string(), json)).optional().describe("Container records expected after the call."),
        logs: z
          .array(z.strictObject({ level: z.enum(["debug", "info", "warn", "error"]), message: z.string() }))
          .optional()
          .describe("Log lines expected, in order (message is a substring match)."),
        events: z.array(z.strictObject({ topic: z.string(), payload: json.optional() })).optional().describe("Events expected to be emitted, in order."),
        charges: z
          .array(z.strictObject({ usd: z.number().min(0), note: z.string().nullable().optional() }))
          .optional()
          .describe("Costs expected to be reported with ctx.billing.charge, in order (a charge without `note` matches any note)."),
        requests: z.number().int().min(0).optional().describe("Exact number of device calls expected."),
      })
      .describe("What must be true after the call."),
  })
  .describe("One test case of an integration handler, run in the real sandbox with recorded fixtures.");

export type TestCase = z.infer<typeof testCaseSchema>;
export type HttpFixture = z.infer<typeof httpFixtureSchema>;
export type SqlFixture = z.infer<typeof sqlFixtureSchema>;
