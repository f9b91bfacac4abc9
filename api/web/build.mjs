// build.mjs copies the page sources (src/) and the MapLibre GL JS ES-module
// build from node_modules into dist/, which the Go package embeds. No bundler:
// maplibre-gl@6 ships ready-to-serve ES modules (maplibre-gl.mjs loads
// ./maplibre-gl-worker.mjs relative to its own URL).
import { cpSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dist = 'dist';
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'vendor'), { recursive: true });
for (const f of readdirSync('src')) cpSync(join('src', f), join(dist, f));
const ml = join('node_modules', 'maplibre-gl');
for (const f of ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css']) {
  cpSync(join(ml, 'dist', f), join(dist, 'vendor', f));
}
cpSync(join(ml, 'LICENSE.txt'), join(dist, 'vendor', 'maplibre-gl.LICENSE.txt'));
console.log('built', dist);
