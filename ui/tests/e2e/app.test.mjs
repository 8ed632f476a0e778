// The real app under Xvfb: tauri-driver + WebKitWebDriver drive its window. Create an
// engagement (no keyring: the passphrase prompt), add the sample data, scan it, see
// the findings count, triage one, answer three practices, regenerate the register and
// set an owner, generate the board PDF and read it back (pdfinfo, pdftotext); a
// screenshot of each screen. Run through tests/e2e/run.sh (it starts the display,
// D-Bus and the driver).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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

  // Answer three practices: applicability questions get "yes", practices "Partially"
  // (an answer the scan cannot contradict, so the questionnaire moves on).
  await screen('questionnaire', 'Questionnaire');
  await driver.waitFor('[data-testid=answered]', { text: /^0 of \d+ answered$/ });
  for (let answered = 0; answered < 3; ) {
    await driver.waitFor('[data-testid=item]');
    const yes = await driver.findAll('[data-testid=yes]');
    if (yes.length) {
      await driver.click(yes[0]);
      await driver.waitFor('[data-testid=answered]');
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    await driver.click(await driver.waitFor('[data-answer=partially]'));
    answered++;
    await driver.waitFor('[data-testid=answered]', { text: new RegExp(`^${answered} of \\d+ answered$`) });
  }
  await driver.waitFor('[data-testid=scan-evidence]');
  await shot('6-questionnaire');

  await screen('maturity', 'Maturity');
  await driver.waitFor('[data-testid=radar-achieved]');
  await driver.waitFor('[data-testid=gaps] li', { text: /Partially implemented/ });
  await shot('7-maturity');

  await screen('risks', 'Risk register');
  await driver.click(await driver.waitFor('[data-testid=regenerate]'));
  await driver.waitFor('[data-testid=notice]', { timeout: 120_000, text: /^Register regenerated: \d+ risks?/ });
  const owner = await driver.waitFor('tr.risk [data-testid=owner]');
  await driver.type(owner, 'OT security lead');
  await driver.execute('document.activeElement.blur()');
  await driver.waitFor('[data-testid=notice]', { text: /^R-\d+ saved\.$/ });
  await shot('8-risks');

  await screen('reports', 'Reports');
  await driver.click(await driver.waitFor('[data-testid=generate-pdf]'));
  await driver.waitFor('[data-testid=notice]', { timeout: 180_000, text: /^Report written: .*\.pdf/ });
  const title = 'Identity risk assessment: Example Water Authority / North Treatment Plant';
  await driver.waitFor('[data-testid=pdf-title]', { text: new RegExp(`^${title}$`) });
  const folder = await text('.reports p.muted code');
  const name = await text('[data-testid=report-files] li button');
  const pdf = join(folder, name);
  assert.ok(existsSync(pdf), `${pdf} written`);
  assert.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), new RegExp(`Title: +${title}`));
  const body = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  assert.match(body, /Example Water Authority/);
  assert.match(body, /CONFIDENTIAL - TEST/, 'the marking on the pages');
  console.log(`FIGURE board PDF from the app: ${(await text('[data-testid=pdf-pages]'))}, ${readFileSync(pdf).length} bytes`);
  // The preview draws the cover page in the window's own WebKit (pdf.js in a worker,
  // under the app's CSP): ink on the canvas, not a blank page.
  await driver.waitFor('[data-testid=pdf-page]', { timeout: 60_000, text: /^Page 1 of \d+$/ });
  await driver.waitFor('.pdf-page[data-drawn="1"]', { timeout: 60_000 });
  const ink = await driver.execute(`
    const c = document.querySelector('[data-testid=pdf-canvas]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 600) dark++;
    return [c.width, c.height, dark];`);
  assert.ok(ink[0] > 200 && ink[1] > 200 && ink[2] > 1000, `the cover page is drawn: ${ink}`);
  console.log(`FIGURE PDF preview in the app window: page 1 drawn at ${ink[0]}x${ink[1]} px, ${ink[2]} inked pixels`);
  await shot('9-reports');
});
