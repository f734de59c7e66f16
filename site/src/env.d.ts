/// <reference types="astro/client" />

declare module "virtual:ihub-catalog-data" {
  /** Absolute path of the catalog data file the build reads. */
  const dataFile: string;
  export default dataFile;
}
