import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Locator, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'correct horse battery staple';

/** Waits until the WASM has hydrated the page, so clicks reach Leptos and not the bare HTML. A page that does
 * not hydrate in 45 s fails with what the browser said and which requests never finished, so a rare failure
 * names its cause. */
export async function hydrated(page: Page) {
  try {
    await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 45_000 });
  } catch (error) {
    const errors = (await page.pageErrors()).map((e) => `page error: ${e.message}`);
    const said = (await page.consoleMessages())
      .filter((message) => message.type() === 'error' || message.type() === 'warning')
      .map((message) => `console ${message.type()}: ${message.text().slice(0, 500)}`);
    const requests = await Promise.all(
      (await page.requests()).map(async (request) => {
        // A request still waiting would keep `response()` waiting too.
        const pending = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 1_000));
        const response = await Promise.race([request.response().catch(() => null), pending]);
        const outcome = typeof response === 'string' ? response : response?.status() ?? 'no answer';
        return `${request.method()} ${request.url()} -> ${request.failure()?.errorText ?? outcome}`;
      }),
    );
    throw new Error(
      `${page.url()} did not hydrate: ${error}\n${[...errors, ...said, ...requests].join('\n')}`,
    );
  }
}

/** Waits until the page's live event stream is open, so a change made now is pushed to it. */
export async function streaming(page: Page) {
  await page.locator('[data-stream="open"]').waitFor({ state: 'attached' });
}

/** A tap on the phone project, a click on the desktop. */
export async function press(target: Locator, testInfo: TestInfo) {
  if (testInfo.project.name === 'phone') {
    await target.tap();
  } else {
    await target.click();
  }
}

export async function signIn(
  page: Page,
  testInfo: TestInfo,
  email: string,
  password = PASSWORD,
  options: { rememberMe?: boolean } = {},
) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  if (options.rememberMe) {
    await press(page.getByRole('checkbox', { name: 'Remember me' }), testInfo);
  }
  await press(page.getByRole('button', { name: 'Sign in' }), testInfo);
}


/** Submits the sign-in form and waits for the server's answer, so attempts never overlap. */
export async function attemptSignIn(page: Page, testInfo: TestInfo, email: string, password: string) {
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/login')),
    press(page.getByRole('button', { name: 'Sign in' }), testInfo),
  ]);
}

/** The elements a person can see: the desktop table and the phone cards hold the same sessions, one hidden. */
export function visible(locator: Locator) {
  return locator.filter({ visible: true });
}

/** The API key serve.sh registered for the `e2e` app on the server at `port`. */
export function appKey(port: number): string {
  return readFileSync(path.join(__dirname, '..', '.data', String(port), 'e2e-app-key'), 'utf8').trim();
}

/** The admin API token serve.sh created on the server at `port`. */
export function adminToken(port: number): string {
  return readFileSync(path.join(__dirname, '..', '.data', String(port), 'e2e-admin-token'), 'utf8').trim();
}

/** Creates a session through the app API, as an app would; returns its id and bearer token. */
export async function createSession(
  request: APIRequestContext,
  port: number,
  user: { email: string; name: string; ip?: string; payload?: Record<string, unknown> },
): Promise<{ id: string; token: string }> {
  const response = await request.post(`http://127.0.0.1:${port}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${appKey(port)}` },
    data: {
      userEmail: user.email,
      userName: user.name,
      ip: user.ip ?? '203.0.113.77',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      payload: user.payload ?? { plan: 'pro', theme: 'dark' },
    },
  });
  if (response.status() !== 201) {
    throw new Error(`creating a session failed: ${response.status()} ${await response.text()}`);
  }
  return response.json();
}

/** The status code the API gives when the session's token is validated. */
export async function validateStatus(request: APIRequestContext, port: number, token: string): Promise<number> {
  const response = await request.post(`http://127.0.0.1:${port}/api/v1/sessions/validate`, {
    headers: { Authorization: `Bearer ${appKey(port)}` },
    data: { token },
  });
  return response.status();
}

/** A name no other test uses, so a search finds exactly this test's sessions. */
export function unique(testInfo: TestInfo, label: string): string {
  return `${label}${testInfo.project.name}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Audit events of one action and target on the server at `port`, read from its database as an operator would. */
export function auditCount(port: number, action: string, target: string): number {
  const db = path.join(__dirname, '..', '.data', String(port), 'roster.db');
  const sql = `SELECT COUNT(*) FROM audit_events WHERE action = '${action}' AND target = '${target}'`;
  return Number(execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim());
}

/** Signs the owner in on the main server and waits for the hydrated Sessions page. */
export async function openConsole(page: Page, testInfo: TestInfo, url = '/sessions') {
  await signIn(page, testInfo, 'owner@example.com');
  await expect(page).toHaveURL(/\/sessions$/);
  if (url !== '/sessions') {
    await page.goto(url);
  }
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Sessions', exact: true })).toBeVisible();
}

/** A user's email as a row shows it (names and addresses hold no `@`). */
export const EMAIL = /^\S+@\S+$/;

export const rows = (page: Page) => visible(page.locator('[data-session-id]'));

/** Waits until the rows on screen answer a view whose URL matches `url`. */
export async function answered(page: Page, url: RegExp) {
  await expect(page.locator('[data-answered]')).toHaveAttribute('data-answered', url);
}

export async function search(page: Page, text: string) {
  await page.getByRole('searchbox', { name: 'Search sessions' }).fill(text);
}
