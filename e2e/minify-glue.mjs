// Trunk post_build hook (Trunk.toml): in release builds, minifies wasm-bindgen's JS glue with
// terser and rewrites its subresource-integrity hash in index.html to match, so the smaller
// file is still checked by the browser. Debug builds (`trunk serve`) are left as they are.
// wasm-bindgen's import names are object keys (strings), which terser leaves alone.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk hook');
const { minify } = await import('terser');

const htmlFile = path.join(staging, 'index.html');
let html = fs.readFileSync(htmlFile, 'utf8');
for (const name of fs.readdirSync(staging).filter((f) => f.endsWith('.js'))) {
  const file = path.join(staging, name);
  const source = fs.readFileSync(file, 'utf8');
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  if (!code) throw new Error(`terser produced nothing for ${name}`);
  fs.writeFileSync(file, code);
  const integrity = (text) => `sha384-${crypto.createHash('sha384').update(text).digest('base64')}`;
  const [before, after] = [integrity(source), integrity(code)];
  html = html.replaceAll(`integrity="${before}"`, `integrity="${after}"`);
  console.log(`minify-glue: ${name} ${source.length} -> ${code.length} bytes`);
}
fs.writeFileSync(htmlFile, html);
