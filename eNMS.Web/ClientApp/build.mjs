// Bundles every src/*.js entry into ../wwwroot/dist as an ES module (one file per page feature) and copies the
// static data the browser needs offline (Natural Earth base map). Run by eNMS.Web.csproj before each build.
import { build } from "esbuild";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import path from "node:path";

const outdir = path.resolve("../wwwroot/dist");
const entries = (await readdir("src")).filter(f => f.endsWith(".js")).map(f => path.join("src", f));

await mkdir(outdir, { recursive: true });
if (entries.length > 0) {
  await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    format: "esm",
    minify: true,
    sourcemap: true,
    target: "es2022",
    loader: { ".css": "css" },
    logLevel: "warning",
  });
}

// The base map ships with the app: air-gapped networks cannot reach a tile server.
await copyFile("node_modules/world-atlas/countries-50m.json", path.join(outdir, "countries-50m.json"));
await copyFile("node_modules/world-atlas/countries-110m.json", path.join(outdir, "countries-110m.json"));
