// Test harness: a real `mosaic dev` (private PostgreSQL, demo content) and a
// real headless Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const repo = resolve(new URL('../..', import.meta.url).pathname);
export const artifacts = join(repo, 'test-artifacts');

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

// startMosaic runs bin/mosaic dev on a free port with a throwaway data dir
// and resolves once it printed its URLs and editor token.
export async function startMosaic() {
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-browser-'));
  chmodSync(dir, 0o755); // the postgres user must enter it when tests run as root
  const port = await freePort();
  const bin = process.env.MOSAIC_BIN ?? join(repo, 'bin', 'mosaic');
  const child = spawn(bin, ['dev', '--addr', `127.0.0.1:${port}`, '--data-dir', dir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const ready = new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`mosaic dev did not start in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Editor token[^\n]*\n(\S+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); rej(new Error(`mosaic dev exited with ${code}:\n${err}`)); });
  });
  const token = await ready;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // mintToken issues a token of another role against the same data dir
  // (dev's printed token is an editor's).
  const mintToken = (role) => execFileSync(bin, ['token', '--role', role, '--data-dir', dir], { encoding: 'utf8' }).trim();
  return { url: `http://127.0.0.1:${port}`, token, dir, mintToken, stop };
}

// launchBrowser starts Debian's Chromium; never a downloaded build. The
// flags keep it off the (closed) network.
export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// watchConsole collects console errors and page errors: a page that logs
// errors fails its test.
export function watchConsole(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
