// Questionnaire: resume where left, one item at a time, keys answer, notes travel with
// the answer, per-zone items, the scan's evidence beside the question, contradiction
// warnings, progress and targets by domain.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

const lastCall = async (calls, cmd) => (await calls()).filter((c) => c.cmd === cmd).at(-1)?.args;

test('resumes at the first unanswered item and answers with single keys', async () => {
  // The zone question and ACCESS-1a were answered in an earlier sitting (progress
  // counts practice answers: ACCESS-1b once per zone class, 7 in all).
  const { page, calls, problems } = await openApp({ open: true, answers: { 'ACCESS-1a|': 'fully' } });
  await page.keyboard.press('Control+6');
  await page.getByRole('heading', { name: 'Questionnaire' }).waitFor();
  await page.getByTestId('item-head').getByText('ACCESS-1b · Access and accounts · level 1 (Initiated) · zone IT').waitFor();
  assert.match(await page.getByTestId('answered').innerText(), /^1 of 7 answered$/);
  await page.getByTestId('note').fill('Seen on the access review of 12 November.');
  await page.getByTestId('note').blur();
  await page.keyboard.press('l');
  await page.getByTestId('item-head').getByText('zone OT').waitFor();
  const args = await lastCall(calls, 'record_answer');
  assert.deepEqual(args, { practice: 'ACCESS-1b', zone: 'IT', answer: 'largely', note: 'Seen on the access review of 12 November.' });
  assert.match(await page.getByTestId('answered').innerText(), /^2 of 7 answered$/);
  const access = await page.getByTestId('domain-progress').locator('li').first().innerText();
  assert.match(access, /Access and accounts\s+2\/4/);
  assert.deepEqual(problems, []);
});

test('the scan evidence sits beside the practice and a refuted answer is flagged', async () => {
  const { page } = await openApp({ open: true, answers: { 'ACCESS-1a|': 'fully', 'ACCESS-1b|IT': 'fully', 'ACCESS-1b|OT': 'fully', 'ACCESS-1b|IoT': 'fully' } });
  await page.keyboard.press('Control+6');
  await page.getByTestId('item-head').getByText(/^PRIVILEGE-1a/).waitFor();
  const evidence = await page.getByTestId('scan-evidence').innerText();
  assert.match(evidence, /9\s*shared privileged credentials\s*\(IT 4, OT 5\)/);
  assert.match(evidence, /e\.g\. engineering-share\/control-room\/shift-handover\.txt:5 \(admin@HMI\)/);
  await page.getByRole('button', { name: /Fully implemented/ }).click();
  const warning = page.getByTestId('contradiction');
  await warning.waitFor();
  assert.match(await warning.innerText(), /scan contradicts this answer: answered Fully implemented, but the scan found 9 shared privileged credentials/);
  // It stays on the item so the assessor can change the answer; Partially clears it.
  assert.match(await page.getByTestId('item-head').innerText(), /^PRIVILEGE-1a/);
  await page.keyboard.press('p');
  await page.getByTestId('item-head').getByText(/^PRIVILEGE-2a/).waitFor();
  assert.equal(await page.getByTestId('contradiction').count(), 0);
});

test('a "no" to the OT question drops the OT items; targets and evidence are saved', async () => {
  const { page, calls } = await openApp({ open: true });
  await page.keyboard.press('Control+6');
  await page.getByText('Does the site run operational technology').waitFor();
  assert.equal(await page.getByTestId('items').getByText('ACCESS-1b · OT').count(), 1);
  await page.keyboard.press('n');
  await page.getByTestId('item-head').getByText(/^ACCESS-1a/).waitFor();
  assert.equal(await page.getByTestId('items').getByText('ACCESS-1b · OT').count(), 0);
  assert.match(await page.getByTestId('answered').innerText(), /^0 of 6 answered$/);
  await page.getByTestId('target-PRIVILEGE').selectOption('2');
  await page.waitForFunction(() => window.__CREDENCE_MOCK_CALLS__.some((c) => c.cmd === 'set_target'));
  assert.deepEqual(await lastCall(calls, 'set_target'), { domain: 'PRIVILEGE', level: 2 });
  await page.getByTestId('attach').click();
  await page.getByTestId('attached').getByText('access-review-minutes.pdf').waitFor();
  assert.deepEqual(await lastCall(calls, 'attach_evidence'), { practice: 'ACCESS-1a', zone: null, path: null });
});
