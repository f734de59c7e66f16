// The catalog site. `ihub catalog` builds it with the catalog data (see tooling/src/catalog/astro-build.ts);
// settings here are the ones that do not depend on the data.
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  trailingSlash: "always",
  build: { format: "directory", inlineStylesheets: "always", assets: "assets" },
  compressHTML: true,
  devToolbar: { enabled: false },
  prefetch: false,
});
