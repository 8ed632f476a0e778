// Risk register: heat map of live risks, edits saved field by field, regeneration that
// keeps the edits, and the overview's top risks.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

test('heat map counts the live risks; a cell filters the table', async () => {
  const { page, problems } = await openApp({ open: true, risks: 6 });
  await page.keyboard.press('Control+8');
  await page.getByTestId('risks').waitFor();
  assert.equal(await page.locator('tr.risk').count(), 6);
  // Risks 1 and 4 (by id) are likelihood 5 × impact 5 and 5 × 2; the top row holds 5-likelihood risks.
  const cells = await page.getByTestId('heat').locator('.heat-row').first().locator('.heat-cell').allInnerTexts();
  assert.deepEqual(cells, ['', '1', '', '', '1']);
  await page.getByTestId('heat').locator('.heat-row').first().locator('.heat-cell').nth(4).click();
  await page.waitForFunction(() => document.querySelectorAll('tr.risk').length === 1);
  assert.match(await page.locator('tr.risk').innerText(), /R-001\s+Shared privileged password across IT and OT/);
  assert.deepEqual(problems, []);
});

test('owner, due date, status and treatment are saved; regeneration keeps them', async () => {
  const { page, calls } = await openApp({ open: true, risks: 3 });
  await page.keyboard.press('Control+8');
  const first = page.locator('tr.risk[data-risk="R-001"]');
  await first.waitFor();
  await first.getByTestId('owner').fill('OT security lead');
  await first.getByTestId('owner').press('Tab');
  await first.getByTestId('status').selectOption('in_progress');
  await first.getByTestId('due').fill('2027-03-31');
  await first.getByTestId('due').blur();
  await first.getByRole('button', { name: /Shared privileged password/ }).click();
  await page.getByTestId('treatment').fill('Rotate, then vault the historian service account.');
  await page.getByTestId('treatment').blur();
  await page.waitForFunction(() => window.__CREDENCE_MOCK_CALLS__.filter((c) => c.cmd === 'edit_risk').length === 4);
  const edits = (await calls()).filter((c) => c.cmd === 'edit_risk').map((c) => c.args);
  assert.deepEqual(edits, [
    { id: 'R-001', edits: { owner: 'OT security lead' } },
    { id: 'R-001', edits: { status: 'in_progress' } },
    { id: 'R-001', edits: { due: '2027-03-31' } },
    { id: 'R-001', edits: { treatment: 'Rotate, then vault the historian service account.' } },
  ]);
  await page.getByTestId('regenerate').click();
  await page.getByTestId('notice').getByText('Register regenerated: 6 risks, 6 live. Edits kept.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('tr.risk').length === 6);
  assert.equal(await first.getByTestId('owner').inputValue(), 'OT security lead');
  assert.equal(await first.getByTestId('status').inputValue(), 'in_progress');
  assert.equal(await first.getByTestId('due').inputValue(), '2027-03-31');
});

test('the overview shows the maturity summary and the top risks', async () => {
  const { page } = await openApp({ open: true, risks: 6, answers: { 'ACCESS-1a|': 'fully' } });
  await page.getByTestId('top-risks').waitFor();
  const risks = await page.getByTestId('top-risks').innerText();
  assert.match(risks, /Top risks \(6 live of 6\)/);
  assert.match(risks, /25\s+R-001\s+Shared privileged password across IT and OT\s+· no owner · due 2027-01-15 · open/);
  assert.match(await page.getByTestId('maturity-summary').innerText(), /Overall level 0 of 3 \(Credence IT\/OT identity maturity\) · 1 of 7 answered/);
});
