/**
 * The formats of JSON Schema 2020-12, installed on an ajv instance: ajv-formats validates the
 * date, time, duration, URI, e-mail, host, address, UUID, pointer and regex formats, and
 * ajv-formats-draft2019 the internationalised ones ajv-formats lacks (idn-email, idn-hostname,
 * iri, iri-reference). Every ajv that checks embedded schemas or validates values against them
 * (`ihub validate`, the harness, the runtime) is set up here, so they know the same formats.
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";
import { lazyRequire } from "./lazy-require.js";

// CommonJS with a default export, which a require sees on `.default`.
const addFormats = lazyRequire<typeof addFormatsModule.default>("ajv-formats", "default");
// ajv-formats-draft2019 ships no types: a CommonJS function (ajv, { formats }).
const addDraft2019Formats = lazyRequire<(ajv: Ajv2020, options: { formats: string[] }) => Ajv2020>("ajv-formats-draft2019");

/** The 2020-12 formats ajv-formats does not define. */
export const INTERNATIONALISED_FORMATS = ["idn-email", "idn-hostname", "iri", "iri-reference"] as const;

/**
 * Every 2020-12 format, plus `password`, which marks secret credential fields (the manifest's
 * auth.fields) and accepts any string.
 */
export function addStandardFormats(ajv: Ajv2020): Ajv2020 {
  addFormats()(ajv);
  addDraft2019Formats()(ajv, { formats: [...INTERNATIONALISED_FORMATS] });
  ajv.addFormat("password", true);
  return ajv;
}
