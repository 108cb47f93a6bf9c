import { execSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/app';
import { loadDemoRecords } from '../support/demo-data';

/**
 * What the browser tests share: Debian's Chromium driven by playwright-core, the
 * rule for skipping when it is not installed, a fresh build of the web UI, and
 * signing in.
 */

export const chromiumPath = process.env.O2C_CHROMIUM ?? '/usr/bin/chromium';
export const browserInstalled = fs.existsSync(chromiumPath);
const browserRequired = process.env.O2C_REQUIRE_BROWSER === '1';
/** Without Chromium the browser tests are skipped, unless O2C_REQUIRE_BROWSER=1 makes that a failure. */
export const skip = !browserInstalled && !browserRequired;
export const skipReason = `skipped: ${chromiumPath} is not installed (apt-get install chromium); set O2C_REQUIRE_BROWSER=1 to make this a failure`;

/** Says once per test file why it is skipped. */
export function warnIfSkipped(testFile: string): void {
  if (skip) console.warn(`${testFile} ${skipReason}`);
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const builtIndex = path.join(projectRoot, 'web', 'dist', 'index.html');

const buildLock = path.join(projectRoot, 'web', '.build-lock');
const lockWaitMs = 180_000;

function isBuildStale(): boolean {
  const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0;
  const sources = [path.join(projectRoot, 'web', 'index.html'), ...listFiles(path.join(projectRoot, 'web', 'src'))];
  return builtAt === 0 || sources.some((file) => fs.statSync(file).mtimeMs > builtAt);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the UI when there is no build, or when a source file is newer than the
 * build. Test files run in parallel: one builds while the others wait on a lock
 * directory, so no build empties web/dist under a server that is already serving it.
 */
export function ensureWebBuild(): void {
  if (!isBuildStale()) return;
  const waitUntil = Date.now() + lockWaitMs;
  for (;;) {
    try {
      fs.mkdirSync(buildLock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a killed run is taken over once it is old.
      if (Date.now() - fs.statSync(buildLock).mtimeMs > lockWaitMs) fs.rmSync(buildLock, { recursive: true, force: true });
      else if (Date.now() > waitUntil) throw new Error(`${buildLock} is held too long; remove it if no build is running`);
      sleepSync(250);
    }
  }
  try {
    // Another test file may have built while this one waited.
    if (!isBuildStale()) return;
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    execSync('npx vite build --logLevel warn', { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  } finally {
    fs.rmSync(buildLock, { recursive: true, force: true });
  }
}

function listFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

const screenshotDir = process.env.O2C_SCREENSHOT_DIR;

/** A full-page screenshot into O2C_SCREENSHOT_DIR, when it is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (screenshotDir !== undefined && screenshotDir !== '') await page.screenshot({ path: path.join(screenshotDir, name), fullPage: true });
}

/** Lets the app listen on a free local port; answers its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.http.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

export function launchBrowser(): Promise<Browser> {
  if (!browserInstalled) throw new Error(`O2C_REQUIRE_BROWSER=1 but ${chromiumPath} does not exist`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (own cookies) and page; the caller closes the context. */
export async function openPage(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { page, context };
}

/** Opens the app, which sends a signed-out person to the sign-in page, and signs in. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Calls the API as a program would (an idempotency key on every POST) and expects success: how the browser tests set up their data. */
export async function apiCall<T>(t: TestApp, method: 'GET' | 'POST', url: string, key: string, payload?: unknown): Promise<T> {
  const response = await t.app.http.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...bearer(key), ...(method === 'POST' ? { 'idempotency-key': `${url}-${Math.random()}` } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json() as T;
}

export interface BrowserApp {
  /** The app under test; there from the first beforeAll on. */
  readonly t: TestApp;
  /** Where the app listens, e.g. http://127.0.0.1:41234. */
  readonly baseUrl: string;
  /** A page in a fresh browser context (own cookies), closed after the file's tests. */
  readonly newPage: (viewport?: { width: number; height: number }) => Promise<Page>;
  /** apiCall against this app. */
  readonly call: <T>(method: 'GET' | 'POST', url: string, key: string, payload?: unknown) => Promise<T>;
}

/**
 * The set-up a browser test file shares, as beforeAll and afterAll of the calling describe: a fresh build of the UI
 * (first: the server decides at start-up whether there is a UI to serve), a test app with the demo records (unless
 * `demoRecords` is false) listening on a free port, and Chromium; at the end the pages' contexts, the browser and the
 * app are closed. Hooks the file adds after this call run once all that is there.
 */
export function setUpBrowserApp({ demoRecords = true }: { readonly demoRecords?: boolean } = {}): BrowserApp {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    t = await startTestApp();
    if (demoRecords) await loadDemoRecords(t.database.handle, t.tenant.id);
    baseUrl = await listen(t);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  const app: BrowserApp = {
    get t() {
      if (t === undefined) throw new Error('the test app is not started yet (use it in a hook or test)');
      return t;
    },
    get baseUrl() {
      return baseUrl;
    },
    newPage: async (viewport) => {
      if (browser === undefined) throw new Error('the browser is not launched yet (use it in a hook or test)');
      const { page, context } = await openPage(browser, baseUrl, viewport);
      contexts.push(context);
      return page;
    },
    call: (method, url, key, payload) => apiCall(app.t, method, url, key, payload),
  };
  return app;
}
