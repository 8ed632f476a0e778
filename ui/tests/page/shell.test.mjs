// The shell: navigation by keyboard, the native menu's choices, themes, About.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll, emitFromRust } from './harness.mjs';

after(closeAll);

test('Ctrl+digit moves between screens and focus lands on the heading', async () => {
  const { page, problems } = await openApp({ open: true, findings: 50 });
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  for (const [key, title] of [['4', 'Findings'], ['5', 'Identity graph'], ['3', 'Sources and zones'], ['1', 'Start'], ['2', 'Overview']]) {
    await page.keyboard.press(`Control+${key}`);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.waitForFunction((t) => document.activeElement?.textContent === t, title);
  }
  assert.deepEqual(problems, []);
});

test('menu choices from Rust drive the UI: theme, about, close', async () => {
  const { page, problems } = await openApp({ open: true });
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await emitFromRust(page, 'menu', { action: 'theme', path: null });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(17, 22, 29)', 'dark palette applied');
  await emitFromRust(page, 'menu', { action: 'about', path: null });
  await page.getByRole('heading', { name: 'About Credence' }).waitFor();
  await page.getByText(/Third-party components \(\d+\)/).waitFor();
  const licences = await page.locator('.licences tbody tr').count();
  assert.ok(licences > 100, `licences listed: ${licences}`);
  assert.ok(await page.getByRole('cell', { name: 'tauri', exact: true }).count() >= 1);
  await page.keyboard.press('Escape');
  await page.getByRole('heading', { name: 'About Credence' }).waitFor({ state: 'detached' });
  await emitFromRust(page, 'menu', { action: 'close', path: null });
  await page.getByRole('heading', { name: 'Start', level: 1 }).waitFor();
  assert.equal(await page.locator('header .engagement').count(), 0);
  assert.deepEqual(problems, []);
});

test('the theme choice is remembered', async () => {
  const { page } = await openApp({}, { theme: 'dark' });
  await page.getByRole('heading', { name: 'Start' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'follows the system at first');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.reload();
  await page.getByRole('heading', { name: 'Start' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
});
