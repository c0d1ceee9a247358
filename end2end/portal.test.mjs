// An agent's whole portal visit: register a passkey from an invite, sign out, sign in, search a
// policy, create a job, watch its progress reach the total and check the zip entry by entry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  addVirtualAuthenticator,
  baseUrl,
  horizontalOverflow,
  demoManifest,
  launchBrowser,
  newPhoneContext,
  recordPageErrors,
  RESULTS_DIR,
  screenshot,
} from './browser.mjs';

const HYDRATED = 'main[data-hydrated="true"]';

let browser;

before(async () => {
  baseUrl();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Lists a zip's entries with the SHA-256 of each and checks its own manifest against them. */
function inspectZip(file) {
  const script = `
import csv, hashlib, io, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None, "a CRC does not match"
    entries = {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}
    manifest = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode("utf-8"))))
print(json.dumps({"entries": entries, "manifest": manifest}))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

test('an invited agent registers a passkey, signs in and downloads a policy as a zip', async () => {
  const demo = await demoManifest();
  assert.ok(demo.agentInvite, 'docyard demo --json prints an agent invite');
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  const { cdp, authenticatorId } = await addVirtualAuthenticator(context, page);

  // Signed out, the portal sends the visitor to sign in.
  await page.goto(`${baseUrl()}/portal`);
  assert.equal(new URL(page.url()).pathname, '/sign-in');

  // Register from the invite.
  await page.goto(demo.agentInvite.url);
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  await page.getByLabel('Passkey name').fill('Laptop');
  await screenshot(page, 'portal-01-invite');
  await page.getByRole('button', { name: 'Create passkey' }).click();
  await page.waitForURL(`${baseUrl()}/portal`);
  await screenshot(page, 'portal-02-registered');

  // The invite is spent.
  await page.goto(demo.agentInvite.url);
  await page.getByText('This invitation link is not valid any more').waitFor();

  // Sign out really ends the session.
  await page.goto(`${baseUrl()}/portal`);
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl()}/sign-in`);
  await page.goto(`${baseUrl()}/portal/jobs`);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await screenshot(page, 'portal-03-signed-out');

  // Sign in by handle.
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  await page.getByLabel('Email or handle (optional)').fill(demo.agentInvite.handle);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(`${baseUrl()}/portal`);

  // Search the demo policy.
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  await page.getByLabel('Policy number').fill('POL-2025-88401');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.locator('table tbody tr');
  await rows.first().waitFor();
  const fileNames = await rows.locator('td:first-child').allTextContents();
  assert.ok(fileNames.length > 1, 'the demo policy has several documents');
  await screenshot(page, 'portal-04-search');

  // Create the job and watch it finish.
  await page.getByRole('button', { name: 'Create retrieval job' }).click();
  await page.waitForURL(/\/portal\/jobs\/job_[0-9A-Z]{26}$/);
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  const total = fileNames.length;
  await page
    .getByTestId('progress-counts')
    .filter({ hasText: `${total} ready · 0 errors · ${total} total` })
    .waitFor({ timeout: 30_000 });
  const progress = page.getByRole('progressbar');
  assert.equal(await progress.getAttribute('aria-valuenow'), '100');
  const zipLink = page.getByRole('link', { name: 'Download zip' });
  await zipLink.waitFor();
  await screenshot(page, 'portal-05-job-complete');

  // The zip holds every document found, once, with bytes matching its manifest.
  const [download] = await Promise.all([page.waitForEvent('download'), zipLink.click()]);
  const zipFile = path.join(RESULTS_DIR, 'portal-job.zip');
  await download.saveAs(zipFile);
  const { entries, manifest } = inspectZip(zipFile);
  const documents = Object.keys(entries).filter((name) => name !== 'manifest.csv');
  assert.equal(documents.length, total);
  assert.equal(manifest.length, total);
  for (const row of manifest) {
    const entry = Object.keys(row).find((k) => /path|entry|file/i.test(k));
    const sha = Object.keys(row).find((k) => /sha/i.test(k));
    assert.equal(entries[row[entry]], row[sha], `${row[entry]} matches its SHA-256`);
  }
  const baseNames = documents.map((name) => name.split('/').pop()).sort();
  assert.deepEqual(baseNames, [...fileNames].sort());

  // The Jobs page lists it and reopens it.
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.waitForURL(`${baseUrl()}/portal/jobs`);
  await page.getByRole('link', { name: 'Policy POL-2025-88401' }).first().click();
  await page.waitForURL(/\/portal\/jobs\/job_/);
  await page.getByRole('link', { name: 'Download zip' }).waitFor();
  await screenshot(page, 'portal-06-jobs');

  // Someone else's or a mistyped job is a clear 404 page.
  const before404 = errors.length;
  const missing = await page.goto(`${baseUrl()}/portal/jobs/job_01J00000000000000000000000`);
  assert.equal(missing.status(), 404);
  await page.getByRole('heading', { name: 'Job not found' }).waitFor();
  // The browser logs the 404 it was just given; that one is expected.
  assert.ok(errors.slice(before404).every((e) => e.includes('status of 404')));
  errors.length = before404;

  // The search results fit a phone screen without sideways scrolling of the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${baseUrl()}/portal?policy_number=POL-2025-88401`);
  await page.locator('table tbody tr').first().waitFor();
  const overflow = await horizontalOverflow(page);
  await screenshot(page, 'portal-06b-search-phone');
  assert.equal(overflow, 0, 'no horizontal scrolling on a phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Move to a new device: add a passkey there, remove the old one, sign in with the new one
  // without typing a handle (a discoverable credential).
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  await addVirtualAuthenticator(context, page);
  await page.getByRole('link', { name: 'Passkeys' }).click();
  await page.waitForURL(`${baseUrl()}/portal/settings`);
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  const passkeys = page.getByTestId('passkeys').locator('li');
  assert.equal(await passkeys.count(), 1);
  await page.getByLabel('Passkey name').fill('Phone');
  await page.getByRole('button', { name: 'Add passkey' }).click();
  await passkeys.nth(1).waitFor();
  await page.getByRole('button', { name: 'Remove Laptop' }).click();
  await page.getByTestId('passkeys').getByText('Laptop').waitFor({ state: 'detached' });
  await page.getByTestId('passkeys').getByText('Phone').waitFor();
  assert.equal(await passkeys.count(), 1);
  await screenshot(page, 'portal-07-passkeys');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl()}/sign-in`);
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(`${baseUrl()}/portal`);

  assert.deepEqual(errors, []);
  await context.close();
});

test('the sign-in page fits a phone screen', async () => {
  const context = await newPhoneContext(browser);
  const page = await context.newPage();

  // Signed out, a job address leads to sign-in.
  await page.goto(`${baseUrl()}/portal/jobs/job_01J00000000000000000000000`);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await page.locator(HYDRATED).waitFor({ timeout: 30_000 });
  const overflow = await horizontalOverflow(page);
  await screenshot(page, 'portal-08-sign-in-phone');
  assert.equal(overflow, 0, 'no horizontal scrolling');
  await context.close();
});
