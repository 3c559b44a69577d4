// Copies the front-end libraries installed by `npm ci` into the Python package's static folder.
// The page itself (sitrep/serve/static/app.js, app.css, index.html) is plain browser JavaScript with no
// imports, so no bundler is needed: the build is only this copy step.
import { copyFileSync, mkdirSync, existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, "..", "sitrep", "serve", "static", "vendor");
const nm = join(here, "node_modules");

// [source under node_modules, name in vendor/]
const FILES = [
  ["leaflet/dist/leaflet.js", "leaflet.js"],
  ["leaflet/dist/leaflet.css", "leaflet.css"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js", "leaflet.markercluster.js"],
  ["leaflet.markercluster/dist/MarkerCluster.css", "MarkerCluster.css"],
  ["leaflet.markercluster/dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client.min.js"],
  ["world-atlas/countries-50m.json", "countries-50m.json"],
  ["world-atlas/countries-110m.json", "countries-110m.json"],
  ["leaflet/LICENSE", "LICENSE.leaflet"],
  ["leaflet.markercluster/MIT-LICENCE.txt", "LICENSE.leaflet.markercluster"],
  ["topojson-client/LICENSE", "LICENSE.topojson-client"],
  ["world-atlas/LICENSE", "LICENSE.world-atlas"],
];

if (!existsSync(nm)) {
  console.error(`build.mjs: ${nm} is missing; run "npm ci" in web/ first`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [src, name] of FILES) {
  const from = join(nm, src);
  if (!existsSync(from)) {
    console.error(`build.mjs: ${from} not found (package layout changed?)`);
    process.exit(1);
  }
  copyFileSync(from, join(out, name));
}
console.log(`build.mjs: ${FILES.length} files copied into ${out}`);
