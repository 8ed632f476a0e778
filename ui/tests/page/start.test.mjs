// Start screen: new engagement (with the passphrase fallback), sample, recent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

test('a new engagement is created from the keyboard and opens on the overview', async () => {
  const { page, problems, calls } = await openApp();
  await page.getByRole('heading', { name: 'Start' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Findings' }).isDisabled(), true, 'engagement screens wait for an engagement');
  await page.getByTestId('client').focus();
  await page.keyboard.type('ACME Water');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Plant 3');
  await page.keyboard.press('Tab');
  await page.keyboard.type('J. Doe');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.match(await page.locator('header .engagement').innerText(), /ACME Water — Plant 3/);
  const create = (await calls()).find((c) => c.cmd === 'create_engagement');
  assert.deepEqual(
    { client: create.args.input.client, site: create.args.input.site, assessor: create.args.input.assessor, location: create.args.input.location },
    { client: 'ACME Water', site: 'Plant 3', assessor: 'J. Doe', location: null },
  );
  assert.deepEqual(problems, []);
});

test('without a keyring the passphrase is asked, checked and sent once', async () => {
  const { page, problems, calls } = await openApp({ passphrase: 'correct horse battery' });
  await page.getByTestId('client').fill('ACME Water');
  await page.getByTestId('site').fill('Plant 3');
  await page.getByTestId('create').click();
  await page.getByTestId('passphrase').fill('short');
  await page.getByTestId('passphrase-confirm').fill('short');
  assert.equal(await page.getByTestId('passphrase-ok').isDisabled(), true, 'fewer than 8 characters');
  await page.getByTestId('passphrase').fill('correct horse battery');
  await page.getByTestId('passphrase-confirm').fill('correct horse battery');
  await page.getByTestId('passphrase-ok').click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const creates = (await calls()).filter((c) => c.cmd === 'create_engagement').map((c) => c.args.input.passphrase);
  assert.deepEqual(creates, [null, 'correct horse battery']);
  assert.deepEqual(problems, []);
});

test('the sample engagement opens from the start screen', async () => {
  const { page, problems } = await openApp();
  await page.getByTestId('open-sample').click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.match(await page.locator('header .engagement').innerText(), /Brightwater/);
  assert.deepEqual(problems, []);
});

test('Save to: the chosen location is shown and used', async () => {
  const { page, calls } = await openApp();
  await page.getByTestId('client').fill('ACME');
  await page.getByTestId('site').fill('North');
  await page.getByRole('button', { name: 'Choose…' }).click();
  await page.getByText('/home/tester/cases/chosen.credence').waitFor();
  await page.getByTestId('create').click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const create = (await calls()).find((c) => c.cmd === 'create_engagement');
  assert.equal(create.args.input.location, '/home/tester/cases/chosen.credence');
});
