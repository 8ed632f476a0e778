// Reports: generate the PDF (background, event), its outline shown in the app, open in
// the system viewer, save a copy through the native dialog (Rust side).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, closeAll } from './harness.mjs';

after(closeAll);

test('generate the PDF, read its outline, open it and save a copy', async () => {
  const { page, calls, problems } = await openApp({ open: true, risks: 3 });
  await page.keyboard.press('Control+9');
  await page.getByText('Generate a report to see it here.').waitFor();
  await page.getByTestId('generate-pdf').click();
  await page.getByTestId('notice').getByText(/^Report written: brightwater-sample-2026-11-29\.pdf \(60\.0 KB, 1\.8 s\)\.$/).waitFor();
  await page.getByTestId('pdf-title').getByText('Identity risk assessment: Brightwater Hydro & Grid (sample) / Hydro plant').waitFor();
  assert.equal(await page.getByTestId('pdf-pages').innerText(), '9 pages');
  assert.match(await page.getByTestId('preview').innerText(), /Summary for the board[\s\S]*Top risks/);
  await page.getByTestId('open-report').click();
  await page.getByTestId('save-report').click();
  await page.getByTestId('notice').getByText('Saved a copy to /home/tester/Desktop/brightwater-sample-2026-11-29.pdf.').waitFor();
  const names = (await calls()).filter((c) => ['open_report', 'save_report'].includes(c.cmd)).map((c) => [c.cmd, c.args.name]);
  assert.deepEqual(names, [
    ['open_report', 'brightwater-sample-2026-11-29.pdf'],
    ['save_report', 'brightwater-sample-2026-11-29.pdf'],
  ]);
  assert.deepEqual((await calls()).find((c) => c.cmd === 'generate_report').args, { kind: 'pdf', paper: 'a4' });
  assert.deepEqual(problems, []);
});

test('the workbook is listed beside the PDF, paper size goes with the request', async () => {
  const { page, calls } = await openApp({ open: true });
  await page.keyboard.press('Control+9');
  await page.getByTestId('generate-pdf').waitFor();
  await page.getByLabel('Paper').selectOption('letter');
  await page.getByTestId('generate-xlsx').click();
  await page.getByTestId('report-files').getByText('brightwater-sample-2026-11-29.xlsx').waitFor();
  assert.deepEqual((await calls()).find((c) => c.cmd === 'generate_report').args, { kind: 'xlsx', paper: 'letter' });
  await page.getByText(/A workbook: the register/).waitFor();
});
