// The real app, built in release, under Xvfb: tauri-driver + WebKitWebDriver drive
// its window. Create an engagement (no keyring: the passphrase prompt), add the
// sample data, scan it, see the findings count, triage one; a screenshot of each
// screen. Run through tests/e2e/run.sh (it starts the display, D-Bus and the driver).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebDriver } from './webdriver.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const app = process.env.CREDENCE_APP;
const shots = process.env.E2E_SCREENSHOTS ?? join(here, '..', '..', 'test-results', 'screenshots');
const planted = readFileSync(join(here, '..', '..', '..', 'tests', 'expected', 'sample-data.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#')).length;
let driver;

after(() => driver?.quit());

async function shot(name) {
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, `${name}.png`), await driver.screenshot());
}

async function text(css) {
  return String(await driver.execute('return document.querySelector(arguments[0])?.textContent ?? ""', [css])).trim();
}

async function screen(id, title) {
  await driver.click(await driver.find(`nav button[data-screen=${id}]`));
  await driver.waitFor('main h1', { text: new RegExp(`^${title}$`) });
}

test('create an engagement, scan the sample data, triage a finding', { timeout: 600_000 }, async () => {
  assert.ok(app, 'CREDENCE_APP: the built app binary');
  const started = performance.now();
  driver = await WebDriver.session('http://127.0.0.1:4444', {
    'wdio:enforceWebDriverClassic': true,
    'tauri:options': { application: app },
  });
  await driver.waitFor('[data-testid=client]');
  const startup = (performance.now() - started) / 1000;
  console.log(`FIGURE app start to usable start screen: ${startup.toFixed(2)} s (${process.env.E2E_BUILD ?? 'release'} build, includes WebDriver session set-up)`);
  await driver.execute('document.documentElement.dataset.theme = "light"');
  await driver.waitFor('[data-testid=open-sample]');
  await new Promise((r) => setTimeout(r, 500)); // let the first paint settle for the screenshot
  await shot('1-start');

  await driver.type(await driver.find('[data-testid=client]'), 'Example Water Authority');
  await driver.type(await driver.find('[data-testid=site]'), 'North Treatment Plant');
  await driver.type(await driver.find('[data-testid=assessor]'), 'A. Assessor');
  await driver.type(await driver.find('[data-testid=marking]'), 'CONFIDENTIAL - TEST');
  await driver.click(await driver.find('[data-testid=create]'));
  // CI has no keyring (CREDENCE_KEYRING=off): the app asks for a passphrase.
  await driver.type(await driver.waitFor('[data-testid=passphrase]'), 'correct horse battery');
  await driver.type(await driver.find('[data-testid=passphrase-confirm]'), 'correct horse battery');
  await driver.click(await driver.find('[data-testid=passphrase-ok]'));
  await driver.waitFor('main h1', { text: /^Overview$/ });
  assert.match(await text('header .engagement'), /Example Water Authority — North Treatment Plant/);

  await screen('sources', 'Sources and zones');
  await driver.click(await driver.waitFor('[data-testid=add-sample]'));
  await driver.waitFor('[data-testid=sources] code', { text: /sample-data$/ });
  await driver.click(await driver.find('[data-testid=start-scan]'));
  await driver.waitFor('[data-testid=scan-outcome]', { timeout: 300_000, text: /completed/ });
  const found = Number(/: ([\d,]+) findings?/.exec(await text('[data-testid=scan-outcome]'))[1].replace(/,/g, ''));
  assert.ok(found >= planted, `${found} findings for ${planted} planted credentials`);
  await shot('3-sources');

  await screen('findings', 'Findings');
  await driver.waitFor('[data-testid=findings-count]', { text: /of/ });
  const shown = await text('[data-testid=findings-count]');
  console.log(`FIGURE sample engagement in the app: ${shown}`);
  assert.equal(shown, `${found.toLocaleString('en-GB')} of ${found.toLocaleString('en-GB')} findings`);
  await driver.click(await driver.waitFor('[data-testid=finding-row]'));
  await driver.type(await driver.waitFor('[data-testid=note]'), 'Seen on site; owner informed');
  await driver.click(await driver.find('[data-testid=detail-confirmed]'));
  await driver.waitFor('[data-testid=notice]', { text: /^1 finding marked confirmed\.$/ });
  await driver.waitFor('[data-testid=finding-row] .badge.confirmed');
  await shot('4-findings');

  await screen('overview', 'Overview');
  await driver.waitFor('[data-testid=latest-scan]', { text: /completed/ });
  await shot('2-overview');

  await screen('graph', 'Identity graph');
  await driver.waitFor('[data-testid=graph-node]');
  await shot('5-graph');
  const summary = await text('[data-testid=graph-summary]');
  assert.match(summary, /cross-boundary path/);
});
