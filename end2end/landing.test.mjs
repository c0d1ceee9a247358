// The start page renders styled on the server, hydrates, and its example toggle works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  baseUrl,
  horizontalOverflow,
  launchBrowser,
  newPhoneContext,
  recordPageErrors,
  screenshot,
} from './browser.mjs';

let browser;

before(async () => {
  baseUrl();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('the start page is styled, hydrates and reveals the example request', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = recordPageErrors(page);

  const response = await page.goto(`${baseUrl()}/`);
  assert.equal(response.status(), 200);
  const heading = page.getByRole('heading', { level: 1 });
  assert.equal(await heading.textContent(), 'Insurance documents delivered');
  const headingStyle = await heading.evaluate((el) => {
    const style = getComputedStyle(el);
    return { fontSize: style.fontSize, fontWeight: style.fontWeight };
  });
  assert.deepEqual(headingStyle, { fontSize: '48px', fontWeight: '700' }, 'Tailwind CSS applied');

  await page.locator('main[data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const toggle = page.locator('button[aria-controls="curl-example"]');
  const panel = page.locator('#curl-example');
  assert.equal(await toggle.textContent(), 'Show an example request');
  assert.equal(await panel.isVisible(), false);
  await toggle.click();
  await panel.waitFor({ state: 'visible' });
  assert.match(await panel.textContent(), /curl -X POST .*\/v1\/retrieval\/jobs/);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await toggle.textContent(), 'Hide the example');
  await screenshot(page, 'landing-desktop');

  assert.deepEqual(errors, []);
  await context.close();
});

test('the start page fits a phone screen', async () => {
  const context = await newPhoneContext(browser);
  const page = await context.newPage();

  await page.goto(`${baseUrl()}/`);
  await page.locator('main[data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const overflow = await horizontalOverflow(page);
  await screenshot(page, 'landing-phone');

  assert.equal(overflow, 0, 'no horizontal scrolling');
  await context.close();
});

test('an unknown address shows the not-found page with status 404', async () => {
  const page = await browser.newPage();

  const response = await page.goto(`${baseUrl()}/no-such-page`);

  assert.equal(response.status(), 404);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found');
  await page.close();
});
