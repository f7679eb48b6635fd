// Shared support of the apps' browser tests: headless Debian Chromium through playwright-core,
// screenshots into SCREENSHOTS (the Java ITs pass target/screenshots), and the result protocol the
// Java side reads: the last line on stdout is {"ok":true|false,...}.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

export const env = {
  url: (process.env.ROOMCAST_URL || '').replace(/\/+$/, ''),
  screenshots: process.env.SCREENSHOTS || 'target/screenshots',
  chromium: process.env.ROOMCAST_CHROMIUM || '/usr/bin/chromium',
};

export async function launch() {
  if (!env.url) throw new Error('ROOMCAST_URL is required');
  return chromium.launch({ executablePath: env.chromium, headless: true, args: FLAGS });
}

/** A page in a fresh context (own localStorage); page errors and console go to stderr. */
export async function newPage(browser, name, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, ...options });
  const page = await context.newPage();
  page.on('console', (m) => process.stderr.write(`[${name} ${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => {
    process.stderr.write(`[${name} page error] ${e.message}\n`);
    pageErrors.push(`${name}: ${e.message}`);
  });
  return page;
}

export const pageErrors = [];

export async function screenshot(page, file) {
  mkdirSync(env.screenshots, { recursive: true });
  await page.screenshot({ path: join(env.screenshots, file) });
}

export function step(message) {
  process.stderr.write(`-- ${message}\n`);
}

/** Runs `body`, prints the result line and sets the exit code. */
export async function run(body) {
  let browser;
  try {
    browser = await launch();
    const result = await body(browser);
    if (pageErrors.length) throw new Error('errors in the page: ' + pageErrors.join('; '));
    process.stdout.write(JSON.stringify({ ok: true, ...result }) + '\n');
  } catch (e) {
    process.stderr.write(String(e && e.stack) + '\n');
    process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.message) }) + '\n');
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
}
