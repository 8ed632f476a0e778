// Sources and zones: add sources (sample, drop), scan with live progress, file errors,
// zone criticality and rules.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll, emitFromRust } from './harness.mjs';

after(closeAll);

test('a scan shows files, speed, findings and time left as it runs, then its outcome', async () => {
  const { page, problems } = await openApp();
  await page.getByTestId('client').fill('ACME');
  await page.getByTestId('site').fill('Plant');
  await page.getByTestId('create').click();
  await page.keyboard.press('Control+3');
  await page.getByTestId('no-sources').waitFor();
  assert.equal(await page.getByTestId('start-scan').isDisabled(), true, 'nothing to scan yet');
  await page.getByTestId('add-sample').click();
  await page.getByTestId('sources').getByText('/opt/credence/sample-data').waitFor();
  await page.getByTestId('start-scan').click();
  await page.locator('[data-testid=progress][data-state=running]').waitFor();
  assert.match(await page.getByTestId('progress-rate').innerText(), /4\.2 MB\/s/);
  assert.match(await page.getByTestId('progress-eta').innerText(), /\d+ s/);
  await page.getByTestId('pause').waitFor();
  await page.locator('[data-testid=progress][data-state=completed]').waitFor();
  assert.match(await page.getByTestId('scan-outcome').innerText(), /Scan 1 completed: 109 findings/);
  assert.equal(await page.getByTestId('progress-files').innerText(), '140 / 140');
  await page.getByTestId('file-errors').getByText('it-share/broken.xlsx').waitFor();
  await page.getByTestId('scans').getByText('completed').waitFor();
  assert.deepEqual(problems, []);
});

test('paths dropped on the window become sources', async () => {
  const { page, calls } = await openApp({ open: true });
  await page.keyboard.press('Control+3');
  await page.getByTestId('sources').waitFor();
  await emitFromRust(page, 'sources-dropped', ['/mnt/usb/share']);
  await page.getByTestId('sources').getByText('/mnt/usb/share').waitFor();
  const add = (await calls()).find((c) => c.cmd === 'add_dropped_sources');
  assert.deepEqual(add.args.paths, ['/mnt/usb/share']);
});

test('zone criticality and rules are edited in place', async () => {
  const { page, calls, problems } = await openApp({ open: true });
  await page.keyboard.press('Control+3');
  await page.getByTestId('zones').waitFor();
  await page.getByLabel('DMZ safety').selectOption('5');
  await page.getByTestId('zones').getByRole('row', { name: /DMZ/ }).locator('.crit').getByText('5').waitFor();
  const set = (await calls()).find((c) => c.cmd === 'set_zone_criticality');
  assert.deepEqual([set.args.zone, set.args.safety], ['DMZ', 5]);
  await page.getByTestId('rule-pattern').fill('192.0.2.0/24');
  await page.getByTestId('rule-kind').selectOption('cidr');
  await page.getByTestId('add-rule').click();
  await page.getByTestId('zone-rules').getByText('192.0.2.0/24').waitFor();
  await page.getByRole('button', { name: 'Remove rule **/scada/**' }).click();
  await page.getByTestId('zone-rules').getByText('**/scada/**').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
});
