// Maturity results: radar of achieved against target and previous, the domain table,
// gaps foundations first, contradicted answers; an empty state before any round.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

test('radar, domains and gaps from the latest round', async () => {
  const { page, problems } = await openApp({
    open: true,
    answers: { 'ACCESS-1a|': 'fully', 'ACCESS-1b|IT': 'largely', 'PRIVILEGE-1a|': 'partially', 'PRIVILEGE-2a|': 'not', 'REMOTE-1a|': 'fully' },
  });
  await page.keyboard.press('Control+7');
  await page.getByTestId('radar').waitFor();
  assert.match(await page.getByTestId('overall').innerText(), /overall level 0 of 3/);
  for (const series of ['radar-achieved', 'radar-target', 'radar-previous']) {
    const points = (await page.getByTestId(series).getAttribute('points')).split(' ');
    assert.equal(points.length, 3, `${series}: one point per domain`);
  }
  // ACCESS achieved 1 of 3: its point is a third of the radius (130) above the centre (180).
  assert.equal((await page.getByTestId('radar-achieved').getAttribute('points')).split(' ')[0], '180.0,136.7');
  const rows = await page.getByTestId('domains').locator('tbody tr').allInnerTexts();
  assert.match(rows[1], /Privileged access\s+0\s+2\s+0/);
  const gaps = await page.getByTestId('gaps').locator('li').allInnerTexts();
  assert.equal(gaps.length, 2);
  assert.match(gaps[0], /^L1 PRIVILEGE-1a · Partially implemented/, 'foundations first');
  assert.match(gaps[1], /^L2 PRIVILEGE-2a · Not implemented/);
  assert.deepEqual(problems, []);
});

test('before any assessment the screen offers to start one', async () => {
  const { page } = await openApp({ open: true });
  await page.keyboard.press('Control+7');
  await page.getByText('No assessment started yet.').waitFor();
  await page.getByRole('button', { name: 'Start the questionnaire…' }).click();
  await page.getByRole('heading', { name: 'Questionnaire' }).waitFor();
});
