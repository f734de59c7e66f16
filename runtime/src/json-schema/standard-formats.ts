/**
 * The formats of JSON Schema 2020-12, installed on an ajv instance: ajv-formats validates the
 * date, time, duration, URI, e-mail, host, address, UUID, pointer and regex formats,
 * ajv-formats-draft2019 the internationalised e-mail and IRI formats ajv-formats lacks, and
 * idn-hostname is Node's own UTS #46 mapping (its WHATWG URL implementation) followed by
 * ajv-formats' hostname check. Every ajv that checks embedded schemas or validates values against
 * them (`ihub validate`, the harness, the runtime) is set up here, so they know the same formats.
 */
import { domainToASCII } from "node:url";
import type { Ajv2020 } from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";
import { lazyRequire } from "./lazy-require.js";

// CommonJS with a default export, which a require sees on `.default`.
const addFormats = lazyRequire<typeof addFormatsModule.default>("ajv-formats", "default");
const asciiFormats = lazyRequire<{ hostname: RegExp }>("ajv-formats/dist/formats", "fullFormats");
// ajv-formats-draft2019 ships no types: a CommonJS function (ajv, { formats }).
const addDraft2019Formats = lazyRequire<(ajv: Ajv2020, options: { formats: string[] }) => Ajv2020>("ajv-formats-draft2019");

/**
 * An internationalised host name: its ASCII form is a host name. UTS #46 does not apply IDNA2008's
 * contextual rules (a MIDDLE DOT between two `l`s and the like); ajv-formats-draft2019's check
 * misses those too and more (on the official test suite's idn-hostname cases, 21 of 45 strings
 * judged right against 31 of 45 here).
 */
function isIdnHostname(value: string): boolean {
  const ascii = domainToASCII(value);
  return ascii !== "" && asciiFormats().hostname.test(ascii);
}

/**
 * Every 2020-12 format, plus `password`, which marks secret credential fields (the manifest's
 * auth.fields) and accepts any string.
 */
export function addStandardFormats(ajv: Ajv2020): Ajv2020 {
  addFormats()(ajv);
  addDraft2019Formats()(ajv, { formats: ["idn-email", "iri", "iri-reference"] });
  ajv.addFormat("idn-hostname", { type: "string", validate: isIdnHostname });
  ajv.addFormat("password", true);
  return ajv;
}
