// Serves the storefront example and proxies /graphql to a Mosaic API, so the
// page and the API share an origin (no CORS setup needed to try it):
//
//   node web/serve.mjs --api http://127.0.0.1:8080 --port 5173
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

export function startStorefront({ api, port = 0, host = '127.0.0.1' }) {
  const server = createServer(async (req, res) => {
    try {
      if (req.url.startsWith('/graphql')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        let upstream;
        try {
          upstream = await fetch(api + req.url, {
            method: req.method,
            headers: { 'content-type': req.headers['content-type'] ?? 'application/json', 'user-agent': req.headers['user-agent'] ?? '' },
            body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
          });
        } catch (err) {
          // The API is down: say so in the GraphQL error shape.
          const cause = err.cause?.code ?? err.message;
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: `the API is unreachable: ${cause}`, extensions: { code: 'BAD_GATEWAY' } }] }));
          return;
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const file = join(root, path === '/' ? 'index.html' : path);
      if (!file.startsWith(root)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch (err) {
      res.writeHead(err.code === 'ENOENT' ? 404 : 502, { 'content-type': 'text/plain' });
      res.end(err.code === 'ENOENT' ? 'not found' : `upstream error: ${err.message}`);
    }
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: p } = server.address();
      resolve({ url: `http://${host}:${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const { url } = await startStorefront({ api: arg('api', 'http://127.0.0.1:8080'), port: Number(arg('port', 5173)) });
  console.log(`storefront on ${url} (API ${arg('api', 'http://127.0.0.1:8080')})`);
}
