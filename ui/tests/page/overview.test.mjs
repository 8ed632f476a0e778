// Overview: leadership indicators, top credentials, paths, scan status, drill-down.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

test('indicators, reach and boundary paths from the identity analysis', async () => {
  const { page, problems } = await openApp({ open: true, findings: 109 });
  await page.getByTestId('indicators').waitFor();
  const text = await page.getByTestId('indicators').innerText();
  for (const [n, label] of [['61', 'Identities'], ['17', 'Privileged'], ['8', 'Vendor defaults'], ['3', 'Cross-boundary']]) {
    assert.match(text, new RegExp(`${n}\\s+${label}`));
  }
  assert.match(await page.getByTestId('latest-scan').innerText(), /Scan 1 completed .*140 files, 109 findings, 1 file error/);
  await page.getByText('P*******! [fp000000]').waitFor();
  await page.getByText('user0@host0.example').first().waitFor();
  assert.deepEqual(problems, []);
});

test('an indicator opens the findings it counts', async () => {
  const { page, calls } = await openApp({ open: true, findings: 109 });
  await page.getByRole('button', { name: /Privileged/ }).click();
  await page.getByRole('heading', { name: 'Findings' }).waitFor();
  await page.getByTestId('finding-row').first().waitFor();
  const q = (await calls()).filter((c) => c.cmd === 'findings_window').at(-1).args.query;
  assert.equal(q.flag, 'privileged');
});
