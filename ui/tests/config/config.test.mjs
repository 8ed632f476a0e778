// The shipped configuration, read as built: a strict CSP, no remote address anywhere
// in the UI bundle, no updater, and a capability that allows the app's own commands,
// event listening and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const conf = JSON.parse(readFileSync(join(root, 'src-tauri', 'tauri.conf.json'), 'utf8'));

test('the CSP allows only the app itself (and the IPC channel)', () => {
  const csp = Object.fromEntries(
    conf.app.security.csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]),
  );
  assert.equal(csp['default-src'], "'self'");
  assert.equal(csp['script-src'], "'self'");
  assert.equal(csp['style-src'], "'self'");
  assert.equal(csp['connect-src'], 'ipc: http://ipc.localhost');
  assert.equal(csp['object-src'], "'none'");
  assert.doesNotMatch(conf.app.security.csp, /unsafe-|https?:\/\/(?!ipc\.localhost)|\*/);
  assert.equal(conf.app.withGlobalTauri, false);
  assert.equal(conf.app.security.freezePrototype, true);
});

test('no updater, no dev server address, no remote address in the configuration', () => {
  assert.equal(conf.plugins.updater, undefined);
  assert.equal(conf.bundle.createUpdaterArtifacts, undefined);
  assert.equal(conf.build.devUrl, undefined);
  assert.doesNotMatch(JSON.stringify(conf), /https?:\/\/(?!ipc\.localhost)/);
  const cargo = readFileSync(join(root, 'src-tauri', 'Cargo.toml'), 'utf8');
  assert.doesNotMatch(cargo, /updater|tauri-plugin-http|tauri-plugin-shell/);
});

test('the capability: own commands and event listening only', () => {
  const cap = JSON.parse(readFileSync(join(root, 'src-tauri', 'capabilities', 'default.json'), 'utf8'));
  assert.deepEqual(cap.windows, ['main']);
  const foreign = cap.permissions.filter((p) => typeof p !== 'string' || (p.includes(':') && !p.startsWith('core:event:allow-')));
  assert.deepEqual(foreign, [], 'no dialog, fs, shell, http or opener permission reaches the webview');
  assert.ok(cap.permissions.includes('allow-findings-window'));
  assert.equal(cap.permissions.filter((p) => p.startsWith('allow-')).length, 45);
});

function files(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

test('the built UI holds no remote address and no inline script or style', () => {
  // XML namespace names are identifiers, never fetched.
  const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml', 'http://www.w3.org/1998/Math/MathML', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/XML/1998/namespace', 'http://www.w3.org/2000/xmlns/']);
  // pdf.js (the PDF preview) carries strings that look like addresses and are never
  // fetched, each listed exactly so that a new one still fails: XML namespace names of
  // XFA forms, XMP and XML signatures; the Apache licence line of its header comment;
  // and the dummy bases it hands to `new URL()` to test whether a string parses.
  const PDFJS = new Set([
    'http://ns.adobe.com/xdp/', 'http://ns.adobe.com/xdp/pdf/', 'http://ns.adobe.com/xfdf/', 'http://ns.adobe.com/xmpmeta/',
    'http://www.w3.org/1999/XSL/Transform', 'http://www.w3.org/2000/09/xmldsig#',
    'http://www.xfa.org/schema/xci/', 'http://www.xfa.org/schema/xdc/', 'http://www.xfa.org/schema/xfa-connection-set/',
    'http://www.xfa.org/schema/xfa-data/', 'http://www.xfa.org/schema/xfa-data/1.0/', 'http://www.xfa.org/schema/xfa-form/',
    'http://www.xfa.org/schema/xfa-locale-set/', 'http://www.xfa.org/schema/xfa-source-set/', 'http://www.xfa.org/schema/xfa-template/',
    'http://www.apache.org/licenses/LICENSE-2.0', 'http://example.com', 'https://foo.bar', 'http://${t}', 'http://${e}',
  ]);
  const dist = join(root, 'ui', 'dist');
  const all = files(dist);
  assert.ok(all.some((f) => f.endsWith('.js')), 'ui/dist is built');
  const found = [];
  for (const f of all) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:https?|wss?|ftp):\/\/[^\s"'`)<>]*/g)) {
      const pdfjs = /\/pdf\.worker[^/]*\.mjs$|\/pdf-[^/]*\.js$/.test(f) && PDFJS.has(m[0]);
      if (!NAMESPACES.has(m[0]) && !pdfjs && !m[0].startsWith('http://ipc.localhost')) found.push(`${f.slice(dist.length)}: ${m[0]}`);
    }
    if (f.endsWith('.html')) {
      assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
      assert.doesNotMatch(text, /<style|style=/, 'no inline style');
    }
  }
  assert.deepEqual(found, []);
});
