// A static file server for the release build, configured as a real static host would be:
// every unknown path returns index.html (SPA fallback), gzip when the browser accepts it,
// correct MIME types (application/wasm for streaming compilation), and the headers the
// README recommends for deployment.
//   node e2e/static-server.mjs <dir> <port>
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const root = path.resolve(process.argv[2] || 'dist');
const port = Number(process.argv[3] || 3000);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const gzCache = new Map();

function resolveFile(urlPath) {
  const clean = path.normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
  const candidate = path.join(root, clean);
  if (candidate.startsWith(root) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return path.join(root, 'index.html');
}

http.createServer((req, res) => {
  let file;
  try {
    file = resolveFile(new URL(req.url, 'http://x').pathname);
  } catch {
    file = path.join(root, 'index.html');
  }
  const ext = path.extname(file);
  res.setHeader('content-type', TYPES[ext] || 'application/octet-stream');
  res.setHeader('cache-control', ext === '.html' || ext === '.json' ? 'no-cache' : 'public, max-age=31536000, immutable');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-content-type-options', 'nosniff');
  let body = fs.readFileSync(file);
  if (/\bgzip\b/.test(req.headers['accept-encoding'] || '') && ext !== '.png') {
    const key = `${file}@${fs.statSync(file).mtimeMs}`;
    if (!gzCache.has(key)) gzCache.set(key, zlib.gzipSync(body, { level: 9 }));
    body = gzCache.get(key);
    res.setHeader('content-encoding', 'gzip');
    res.setHeader('vary', 'accept-encoding');
  }
  res.setHeader('content-length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}).listen(port, '127.0.0.1', () => console.log(`static: ${root} on http://127.0.0.1:${port}`));
