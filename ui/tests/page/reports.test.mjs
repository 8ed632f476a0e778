// Reports: generate the PDF (background, event), its outline and its pages shown in the
// app (pdf.js in a worker, under the app's CSP), open in the system viewer, save a copy
// through the native dialog (Rust side).
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
  assert.match(await page.getByTestId('outline').innerText(), /Summary for the board[\s\S]*Top risks/);
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

// The colour at the middle of the drawn page, once pdf.js has drawn page `n`.
async function pageColour(page, n) {
  await page.locator(`.pdf-page[data-drawn="${n}"]`).waitFor();
  return page.getByTestId('pdf-canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(Math.floor(c.width / 2), Math.floor(c.height / 2), 1, 1).data;
    return [d[0], d[1], d[2]];
  });
}

test("the PDF's pages are drawn in the app: turn pages by button, key and contents", async () => {
  const { page, calls, problems } = await openApp({ open: true, risks: 3 });
  await page.keyboard.press('Control+9');
  await page.getByTestId('generate-pdf').click();
  await page.getByTestId('pdf-page').getByText('Page 1 of 9').waitFor();
  const first = await pageColour(page, 1);
  assert.deepEqual(first.map((v) => Math.round(v / 16)), [1, 7, 7], `page 1 is drawn in teal: ${first}`);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByTestId('pdf-page').getByText('Page 2 of 9').waitFor();
  const second = await pageColour(page, 2);
  assert.deepEqual(second.map((v) => Math.round(v / 16)), [12, 4, 1], `page 2 is drawn in orange: ${second}`);
  await page.locator('.pdf-page').focus();
  await page.keyboard.press('End');
  await page.getByTestId('pdf-page').getByText('Page 9 of 9').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
  await page.keyboard.press('PageUp');
  await page.getByTestId('pdf-page').getByText('Page 8 of 9').waitFor();
  await page.getByTestId('outline').getByRole('button', { name: 'Top risks' }).click();
  await page.getByTestId('pdf-page').getByText('Page 2 of 9').waitFor();
  assert.deepEqual(
    (await calls()).filter((c) => c.cmd === 'report_pdf').map((c) => c.args),
    [{ name: 'brightwater-sample-2026-11-29.pdf' }],
    'the bytes are fetched once per report',
  );
  assert.deepEqual(problems, [], 'no CSP violation or console error from pdf.js or its worker');
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
