// Page tests: the built UI (ui/dist) served on 127.0.0.1 with the app's own CSP, in
// headless Debian Chromium driven by playwright-core, with the Rust side replaced by
// mock-backend.ts (through @tauri-apps/api/mocks). Each screen has its own test file
// that uses `openApp`. Nothing is downloaded: the browser is /usr/bin/chromium.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(ui, 'dist');
export const CSP = JSON.parse(readFileSync(join(ui, '..', 'src-tauri', 'tauri.conf.json'), 'utf8')).app.security.csp;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

let mockScript;
async function mockBundle() {
  if (mockScript) return mockScript;
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root: ui,
    build: {
      write: false,
      minify: false,
      lib: { entry: join(ui, 'tests', 'page', 'mock-backend.ts'), formats: ['iife'], name: 'CredenceMock' },
    },
  });
  mockScript = (Array.isArray(out) ? out[0] : out).output[0].code;
  return mockScript;
}

function serve() {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('ui/dist is missing: run `npm run build` first');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = normalize(join(dist, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!path.startsWith(dist) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    res.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let browser;
let server;

export async function openApp(config = {}, { width = 1280, height = 800, theme = 'light' } = {}) {
  server ??= await serve();
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(`window.__CREDENCE_MOCK_CONFIG__ = ${JSON.stringify(config)};`);
  await page.addInitScript(await mockBundle());
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  return { page, problems, calls: () => page.evaluate(() => window.__CREDENCE_MOCK_CALLS__) };
}

/** Sends what the Rust side would emit (menu choices, dropped paths). */
export function emitFromRust(page, event, payload) {
  return page.evaluate(([e, p]) => window.__CREDENCE_EMIT__(e, p), [event, payload]);
}

export async function closeAll() {
  await browser?.close();
  browser = undefined;
  await new Promise((r) => (server ? server.close(r) : r()));
  server = undefined;
}
