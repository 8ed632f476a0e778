// Identity graph: lanes from IT to OT, nodes by keyboard, cross-boundary edges, and a
// node's findings.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

test('zones are lanes in order, credentials and accounts are nodes, crossings are hot', async () => {
  const { page, problems } = await openApp({ open: true });
  await page.keyboard.press('Control+5');
  await page.getByTestId('graph-svg').waitFor();
  const lanes = await page.locator('.lane-title').allTextContents();
  assert.deepEqual(lanes.slice(0, 6), ['IT', 'DMZ', 'OT-L3', 'OT-L2', 'OT-L1', 'OT-L0']);
  assert.equal(await page.getByTestId('graph-node').count(), 24);
  assert.equal(await page.locator('path.edge.cross').count(), 2, 'findings 0 and 7 cross into OT-L2');
  await page.getByTestId('only-cross').check();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=graph-node]').length === 4);
  assert.match(await page.getByTestId('graph-paths').innerText(), /IT share\/dir0\/file0\.txt → P\*{7}! \[fp00000000\] → user0@host0\.example → OT-L2/);
  assert.deepEqual(problems, []);
});

test('Tab to a node, Enter shows it, Enter again lists its findings', async () => {
  const { page, calls } = await openApp({ open: true, findings: 200 });
  await page.keyboard.press('Control+5');
  await page.getByTestId('graph-svg').waitFor();
  await page.getByTestId('graph-node').first().focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('node-label').getByText('P*******! [fp00000000]').waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Findings' }).waitFor();
  await page.getByTestId('finding-row').first().waitFor();
  const q = (await calls()).filter((c) => c.cmd === 'findings_window').at(-1).args.query;
  assert.equal(q.fingerprint, 'fp00000000');
  assert.match(await page.locator('.chip').innerText(), /fingerprint: fp00000000/);
});
