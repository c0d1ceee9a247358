// The policyholder's and the auditor's visits: an SMS code then one document at a time, and a
// badge then read-only views that never link to a document.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import {
  baseUrl,
  demoManifest,
  horizontalOverflow,
  launchBrowser,
  newPhoneContext,
  recordPageErrors,
  screenshot,
  textedCode,
} from './browser.mjs';

const HYDRATED = 'main[data-hydrated="true"]';

/** Page errors other than the browser's note that a refused call answered 4xx. */
function unexpected(errors) {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 4/.test(e));
}

let browser;

before(async () => {
  baseUrl();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('a policyholder signs in with a texted code and opens their documents one at a time', async () => {
  const demo = await demoManifest();
  const phone = demo.policyholder.phone;
  assert.ok(phone, 'docyard demo --json prints the policyholder phone');
  const context = await newPhoneContext(browser, { acceptDownloads: true });
  const page = await context.newPage();
  const errors = recordPageErrors(page);

  // Signed out, the policyholder's pages send the visitor to the phone sign-in.
  await page.goto(`${baseUrl()}/policy`);
  assert.equal(new URL(page.url()).pathname, '/sign-in/phone');
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });

  await page.getByLabel('Mobile number').fill(phone);
  await page.getByRole('button', { name: 'Text me a code' }).click();
  const codeField = page.getByLabel('6-digit code');
  await codeField.waitFor();
  await page.getByText('a code is on its way').waitFor();
  const { code } = await textedCode(phone);
  await screenshot(page, 'doors-01-code-sent');

  // A wrong code is refused with the tries left; the right one signs in.
  await codeField.fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('tries left').waitFor();
  await screenshot(page, 'doors-02-wrong-code');
  await codeField.fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl()}/policy`);
  await page.getByRole('heading', { name: 'My documents' }).waitFor();
  await page.getByText(`on policy ${demo.policyNumber}`).waitFor();
  await screenshot(page, 'doors-03-documents');
  assert.equal(await horizontalOverflow(page), 0, 'no horizontal scrolling on a phone');

  // No way to take everything at once.
  assert.equal(await page.getByText(/zip|download all|retrieval job/i).count(), 0);

  // One document downloaded: a PDF with the name it was listed under.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /^Download / }).first().click(),
  ]);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(download.suggestedFilename(), /\.pdf$/);

  // Opened in the browser instead: served inline.
  const openHref = await page.getByRole('link', { name: /^Open / }).first().getAttribute('href');
  const inline = await context.request.get(`${baseUrl()}${openHref}`);
  assert.equal(inline.status(), 200);
  assert.match(inline.headers()['content-disposition'], /^inline;/);

  // The agent's bulk pages and the auditor's pages refuse a policyholder on the server.
  for (const path of ['/portal', '/portal/jobs', '/audit']) {
    const response = await context.request.get(`${baseUrl()}${path}`, { maxRedirects: 0 });
    assert.equal(response.status(), 403, path);
  }

  // Sign-out ends the session.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl()}/sign-in`);
  await page.goto(`${baseUrl()}/policy`);
  assert.equal(new URL(page.url()).pathname, '/sign-in/phone');
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});

test('an auditor signs in with a badge and looks without taking anything away', async () => {
  const demo = await demoManifest();
  const { badgeId, ndaSha256 } = demo.auditor;
  assert.ok(badgeId && ndaSha256, 'docyard demo --json prints the auditor badge and NDA hash');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = recordPageErrors(page);

  await page.goto(`${baseUrl()}/audit`);
  assert.equal(new URL(page.url()).pathname, '/sign-in/badge');
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });

  // A wrong hash is refused without saying which half was wrong.
  await page.getByLabel('Badge ID').fill(badgeId);
  await page.getByLabel('SHA-256 of your signed NDA').fill('0'.repeat(64));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('do not match').waitFor();
  await screenshot(page, 'doors-04-badge-refused');

  await page.getByLabel('SHA-256 of your signed NDA').fill(ndaSha256);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl()}/audit`);
  await page.getByRole('cell', { name: demo.dockId }).waitFor();
  await screenshot(page, 'doors-05-docks');

  // Artifact metadata, searched by policy: metadata and checksums, no links to documents.
  await page.getByRole('link', { name: 'Artifacts' }).click();
  await page.waitForURL(`${baseUrl()}/audit/artifacts`);
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  await page.getByLabel('Policy number').fill(demo.policyNumber);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/policy_number=/);
  await page.getByText(/\d+ artifacts\./).waitFor();
  await screenshot(page, 'doors-06-artifacts');
  const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.every((href) => !/downloads|documents|archive/.test(href)), links.join(' '));

  // Jobs with their counts, and the audit trail filtered to sign-ins.
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.waitForURL(`${baseUrl()}/audit/jobs`);
  await page.getByText(/jobs: \d+ documents asked for/).waitFor();
  await screenshot(page, 'doors-07-jobs');
  await page.goto(`${baseUrl()}/audit/trail?action=sign_in_failed`);
  await page.getByRole('cell', { name: demo.auditor.recipientId }).first().waitFor();
  await screenshot(page, 'doors-08-trail');

  // Document bytes and bulk routes refuse an auditor on the server.
  const doc = `${baseUrl()}/policy/documents/${demo.mortgagee.sampleArtifactIds?.[0] ?? 'x'}`;
  for (const url of [doc, `${baseUrl()}/portal`, `${baseUrl()}/portal/jobs`]) {
    const response = await context.request.get(url, { maxRedirects: 0 });
    assert.equal(response.status(), 403, url);
  }
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});
