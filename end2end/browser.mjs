// Shared set-up for the browser tests: the server under test and a headless Debian Chromium.
import { execFileSync } from 'node:child_process';
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
export async function newPhoneContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    ...options,
  });
}

/** How many pixels the page is wider than the window: 0 means no sideways scrolling. */
export async function horizontalOverflow(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/**
 * The newest code texted to `phone`, read from the server's development outbox with
 * `docyard sms outbox`. Texts leave on a task of their own, so this waits for one to arrive.
 */
export async function textedCode(phone, { after = 0 } = {}) {
  const bin = process.env.DOCYARD_BIN;
  const dataDir = process.env.DOCYARD_DATA_DIR;
  if (!bin || !dataDir) throw new Error('DOCYARD_BIN and DOCYARD_DATA_DIR are set by dev/e2e.sh');
  for (let i = 0; i < 100; i += 1) {
    const out = execFileSync(
      bin,
      ['--data-dir', dataDir, 'sms', 'outbox', '--phone', phone, '--json'],
      { encoding: 'utf8', env: { ...process.env, DOCYARD_LOG: 'warn' } },
    );
    const texts = JSON.parse(out);
    if (texts.length > after) {
      const match = /code is (\d{6})/.exec(texts[0].body);
      if (!match) throw new Error(`no code in the text: ${texts[0].body}`);
      return { code: match[1], count: texts.length };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no text reached ${phone}`);
}
