// Writes src/generated/licences.json: name, version and licence of every third-party
// component in the desktop app, for Help > About. Offline: reads `cargo metadata`
// (the Rust crates linked into credence-desktop for this platform, normal
// dependencies only) and node_modules (the npm packages bundled into the UI, listed
// in BUNDLED_NPM; the Vite build checks that list against what it really bundles).
// No URLs are written: the UI must not contain remote addresses.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ui = join(dirname(fileURLToPath(import.meta.url)), '..');
import { BUNDLED_NPM } from './bundled-npm.mjs';

function host() {
  const out = execFileSync('rustc', ['-vV'], { encoding: 'utf8' });
  return /host: (\S+)/.exec(out)[1];
}

function cargoLicences() {
  const meta = JSON.parse(
    execFileSync(
      'cargo',
      ['metadata', '--format-version', '1', '--locked', '--filter-platform', host(), '--manifest-path', join(ui, '..', 'Cargo.toml')],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    ),
  );
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const members = new Set(meta.workspace_members);
  const root = meta.packages.find((p) => p.name === 'credence-desktop');
  const seen = new Set();
  const queue = [root.id];
  while (queue.length) {
    const id = queue.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    for (const d of nodes.get(id)?.deps ?? []) {
      if (d.dep_kinds.some((k) => k.kind === null)) queue.push(d.pkg);
    }
  }
  return [...seen]
    .filter((id) => !members.has(id))
    .map((id) => byId.get(id))
    .map((p) => ({ name: p.name, version: p.version, license: p.license ?? (p.license_file ? 'see licence file' : 'unknown'), source: 'cargo' }));
}

function npmLicences() {
  return BUNDLED_NPM.map((name) => {
    const p = JSON.parse(readFileSync(join(ui, 'node_modules', name, 'package.json'), 'utf8'));
    return { name, version: p.version, license: p.license ?? 'unknown', source: 'npm' };
  });
}

const all = [...cargoLicences(), ...npmLicences()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
const out = join(ui, 'src', 'generated', 'licences.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(all, null, 1) + '\n');
console.log(`licences: ${all.length} components written to src/generated/licences.json`);
