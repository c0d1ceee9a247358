// Shared set-up for the browser tests: the server under test and a headless Debian Chromium.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

// Flags that keep Chromium off the network and working as root in a container.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-results');

/** The address of the running DocYard server, from DOCYARD_BASE_URL. */
export function baseUrl() {
  const url = process.env.DOCYARD_BASE_URL;
  if (!url) {
    throw new Error(
      'DOCYARD_BASE_URL is not set: start the DocYard server and point this variable at it, ' +
        'e.g. DOCYARD_BASE_URL=http://localhost:3000 node --test end2end/',
    );
  }
  return url.replace(/\/+$/, '');
}

/** Starts headless Chromium; the caller closes it. */
export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Saves a full-page screenshot as test-results/NAME.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Collects uncaught page errors (a failed hydration panics in the WASM) for assertions. */
export function recordPageErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** The manifest `docyard demo --json` printed for the server under test. */
export async function demoManifest() {
  const file = process.env.DOCYARD_DEMO_JSON;
  if (!file) throw new Error('DOCYARD_DEMO_JSON is not set: run the tests through dev/e2e.sh');
  return JSON.parse(await readFile(file, 'utf8'));
}

/**
 * Gives the page a virtual platform authenticator through the DevTools protocol: resident keys,
 * user verification and presence all on, as a phone or laptop with a screen lock would have.
 */
export async function addVirtualAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A browser context the size of a phone, with touch. */
export async function newPhoneContext(browser) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
}

/** How many pixels the page is wider than the window: 0 means no sideways scrolling. */
export async function horizontalOverflow(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}
