// Fails when the release build's first-load bytes (html + js + wasm + css, gzip -9) exceed the
// budget in size-budget.json. The budget only ever goes down.
//   node e2e/size-budget.mjs <dist> <budget.json>
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const [dist, budgetFile] = process.argv.slice(2);
const budget = JSON.parse(fs.readFileSync(budgetFile, 'utf8'));
const files = fs.readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f));
let gzip = 0;
let raw = 0;
for (const f of files) {
  const bytes = fs.readFileSync(path.join(dist, f));
  raw += bytes.length;
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  gzip += gz;
  console.log(`  ${f.padEnd(48)} ${String(bytes.length).padStart(8)} raw ${String(gz).padStart(8)} gzip`);
}
console.log(`first load: ${raw} bytes raw, ${gzip} bytes gzip; budget ${budget.firstLoadGzipBytes} bytes gzip`);
if (gzip > budget.firstLoadGzipBytes) {
  console.error(`size budget exceeded by ${gzip - budget.firstLoadGzipBytes} bytes`);
  process.exit(1);
}
