// Serves the kiosk and proxies the delivery endpoints it uses to a Mosaic
// API, so the page and the API share an origin: no CORS setup, and the
// Service Worker may cache both.
//
//   node kiosk/serve.mjs --api http://127.0.0.1:8080 --port 5174
//   open http://127.0.0.1:5174/?screen=lobby
//
// /events is streamed through (never buffered). When the API is down, the
// proxy answers 502 at once, and the kiosk keeps playing what it has.
import { createServer, request } from 'node:http';
import { request as requestTLS } from 'node:https';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const files = new Set(['index.html', 'kiosk.js', 'budget.js', 'sync.js', 'live.js', 'sw.js', 'style.css']);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const csp = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self' https:; img-src 'self' blob: data:; " +
  "style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const proxied = ['/screens/', '/.well-known/', '/events', '/assets/'];
// Request headers worth passing on; hop-by-hop and cookies are not.
const forward = ['accept', 'content-type', 'content-length', 'if-none-match', 'if-modified-since', 'last-event-id', 'x-api-key',
  'authorization', 'user-agent', 'range', 'if-range', 'x-request-id'];
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer']);

function badGateway(res, err) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(502, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ errors: [{ message: `the API is unreachable: ${err.code ?? err.message}`, extensions: { code: 'BAD_GATEWAY' } }] }));
}

function proxy(api, req, res) {
  const target = new URL(req.url, api);
  const headers = {};
  for (const h of forward) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
  const events = target.pathname === '/events';
  const up = (target.protocol === 'https:' ? requestTLS : request)(target, { method: req.method, headers }, (ur) => {
    const out = {};
    for (const [k, v] of Object.entries(ur.headers)) if (!hopByHop.has(k)) out[k] = v; // Date included: the kiosk reads it
    res.writeHead(ur.statusCode, out);
    if (events) {
      up.setTimeout(0); // a stream is idle between events; the kiosk watches it
      res.flushHeaders();
    } else {
      up.setTimeout(30_000);
    }
    ur.pipe(res);
    ur.on('close', () => { if (!ur.complete) res.destroy(); }); // upstream died mid-body: so does the response
  });
  up.setTimeout(5000, () => up.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
  up.on('error', (err) => badGateway(res, err));
  res.on('close', () => { if (!res.writableFinished) up.destroy(); }); // the kiosk went away mid-response
  req.pipe(up);
}

export function startKiosk({ api, port = 0, host = '127.0.0.1' }) {
  api = api.replace(/\/+$/, '');
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (proxied.some((p) => (p.endsWith('/') ? pathname.startsWith(p) : pathname === p))) {
      proxy(api, req, res);
      return;
    }
    const name = pathname === '/' ? 'index.html' : pathname.slice(1);
    if (!files.has(name) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    try {
      const body = await readFile(join(root, name));
      res.writeHead(200, { 'content-type': types[extname(name)], 'cache-control': 'no-cache', 'content-security-policy': csp,
        'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err.message));
    }
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({
        url: `http://${host}:${p}`,
        close: () => new Promise((r) => {
          server.close(r);
          server.closeAllConnections(); // open /events streams too
        }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const api = arg('api', 'http://127.0.0.1:8080');
  const { url } = await startKiosk({ api, port: Number(arg('port', 5174)) });
  console.log(`kiosk on ${url}/?screen=lobby (API ${api})`);
}
