import { describe, expect, it } from "vitest";
import { ExecutorError } from "@ihub/runtime";
import { RegistryError } from "@ihub/runtime/registry";
import { IhubError } from "../errors.js";
import { renderCoded } from "./render-error.js";

// Colours are off under vitest (no terminal), so the text is compared as printed.
describe("renderCoded", () => {
  it("renders every layer's coded error the same way: code, location, message, hint", () => {
    expect(renderCoded(new IhubError("IH_X", "went wrong", { hint: "Fix it.", location: { file: "a.json", line: 3, column: 4 } }))).toBe(
      "error IH_X a.json:3:4 went wrong\n  hint Fix it.\n",
    );
    expect(renderCoded(new RegistryError("REG_BAD_DOCUMENT", "bad index", { file: "r/x/index.json", pointer: "/slug" }))).toBe("error REG_BAD_DOCUMENT r/x/index.json bad index\n");
    expect(renderCoded(new ExecutorError("MODULE_MISSING", "no module", "m/init.lua", "Add it."))).toBe("error MODULE_MISSING m/init.lua no module\n  hint Add it.\n");
  });

  it("renders a document's error record and a finding, with its severity as the label", () => {
    expect(renderCoded({ code: "IH_BUNDLE_NO_MANIFEST", message: "x has no integration.json", hint: "Check the slug." })).toBe("error IH_BUNDLE_NO_MANIFEST x has no integration.json\n  hint Check the slug.\n");
    const finding = { code: "IH_CATALOG_MANIFEST", severity: "warning", integration: "x", file: "integrations/x/integration.json", line: null, column: null, pointer: null, message: "invalid", hint: "Run ihub validate." };
    expect(renderCoded(finding, finding.severity)).toBe("warning IH_CATALOG_MANIFEST integrations/x/integration.json invalid\n  hint Run ihub validate.\n");
  });
});
