import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';
import { appKey, createSession, hydrated, press, signIn, streaming, validateStatus } from './helpers';

const PORT = 3100;
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

/** This test's own account (one per test and project): signing out "all other sessions" ends only its own. */
const account = (testInfo: TestInfo, name: string) => `${name}-${testInfo.project.name}@example.com`;

async function openMySessions(page: Page, testInfo: TestInfo, email: string) {
  await signIn(page, testInfo, email);
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await hydrated(page);
  await streaming(page);
}

/** A second browser of the same person, on an iPhone. */
async function iphone(browser: Browser, testInfo: TestInfo) {
  const project = testInfo.project.use;
  return browser.newContext({ userAgent: IPHONE, baseURL: project.baseURL, viewport: project.viewport });
}

async function validate(request: APIRequestContext, token: string, activity: string) {
  const response = await request.post(`http://127.0.0.1:${PORT}/api/v1/sessions/validate`, {
    headers: { Authorization: `Bearer ${appKey(PORT)}` },
    data: { token, activity },
  });
  expect(response.status()).toBe(200);
}

const current = (page: Page) => page.getByRole('list', { name: 'Current session' });
const others = (page: Page) => page.getByRole('list', { name: 'Other sessions' });

test('a user sees their browsers and app sessions, their details, and signs out of one and then all others', async ({
  page,
  browser,
  request,
}, testInfo) => {
  const email = account(testInfo, 'mine');
  await openMySessions(page, testInfo, email);
  await expect(current(page).getByRole('listitem')).toHaveCount(1);
  await expect(current(page)).toContainText('This device');
  await expect(current(page)).toContainText('Active now');
  await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();

  // A sign-in on the phone appears here live, named by its browser and system.
  const phoneContext = await iphone(browser, testInfo);
  const phone = await phoneContext.newPage();
  await openMySessions(phone, testInfo, email);
  await expect(others(page).getByRole('listitem')).toHaveCount(1);
  await expect(others(page)).toContainText('Safari on iPhone');
  await expect(others(phone)).not.toContainText('Safari on iPhone');

  // An app's session of the same person, with its address, its app and what the app reported.
  const app = await createSession(request, PORT, { email, name: 'Mina Mine', ip: '198.51.100.20' });
  for (const page of ['Inbox', 'Inbox', 'Weekly plan']) {
    await validate(request, app.token, page);
  }
  const appItem = others(page).getByRole('listitem').filter({ hasText: 'Chrome on macOS' });
  await expect(appItem).toContainText('198.51.100.20');
  await expect(appItem).toContainText('End to end');
  // Request counts are written in batches, about every second; a member's page is not told of validations.
  await expect(async () => {
    await page.reload();
    await hydrated(page);
    await press(appItem.getByRole('button', { name: 'Details' }), testInfo);
    const details = page.getByRole('dialog', { name: 'Chrome on macOS' });
    await expect(details).toContainText('Weekly plan', { timeout: 500 });
    await expect(details.getByTestId('session-details')).toContainText('Chrome 120.0');
    await expect(details.getByTestId('session-details')).toContainText('macOS 10.15.7');
    await expect(details.getByTestId('session-details')).toContainText(/Requests\s*3/);
  }).toPass({ timeout: 15_000 });
  await press(page.getByRole('dialog').getByRole('button', { name: 'Close' }), testInfo);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await streaming(page);

  // Sign out of the app's session, after a dialog naming it: its token is refused, the phone stays signed in.
  await press(appItem.getByRole('button', { name: 'Sign out' }), testInfo);
  const confirm = page.getByRole('dialog', { name: 'Sign out this session?' });
  await expect(confirm).toContainText('Chrome on macOS');
  await expect(confirm).toContainText('Last active');
  await press(confirm.getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByRole('status')).toContainText('Signed out');
  await expect(others(page).getByRole('listitem')).toHaveCount(1);
  expect(await validateStatus(request, PORT, app.token)).toBe(401);

  // Sign out all others: the dialog lists them; the phone is sent to sign-in; this browser stays.
  const second = await createSession(request, PORT, { email, name: 'Mina Mine', ip: '198.51.100.21' });
  await expect(others(page).getByRole('listitem')).toHaveCount(2);
  await press(page.getByRole('button', { name: 'Sign out all other sessions' }), testInfo);
  const all = page.getByRole('dialog', { name: 'Sign out all other sessions?' });
  await expect(all).toContainText('This will sign out 2 other sessions:');
  await expect(all.getByRole('listitem')).toHaveText(['Chrome on macOS (198.51.100.21)', 'Safari on iPhone (Loopback)']);
  await press(all.getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();
  await expect(phone).toHaveURL(/\/login$/);
  expect(await validateStatus(request, PORT, second.token)).toBe(401);
  await page.reload();
  await expect(current(page)).toContainText('This device');
  await phoneContext.close();
});

test('sessions from four addresses raise Many addresses, explained in words', async ({ page, request }, testInfo) => {
  const email = account(testInfo, 'spread');
  await openMySessions(page, testInfo, email);
  await expect(page.getByText('Many addresses')).toHaveCount(0);
  for (const ip of ['198.51.100.31', '198.51.100.32']) {
    await createSession(request, PORT, { email, name: 'Sam Spread', ip });
  }
  await expect(others(page).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText('Many addresses')).toHaveCount(0);
  // This browser (127.0.0.1) and three app sessions elsewhere: four addresses.
  await createSession(request, PORT, { email, name: 'Sam Spread', ip: '198.51.100.33' });
  await expect(others(page).getByRole('listitem')).toHaveCount(3);
  const sign = current(page).locator('.warning-sign', { hasText: 'Many addresses' });
  await expect(sign).toBeVisible();
  // The explanation is read by screen readers all along, and shown on keyboard focus (and hover).
  const explanation = sign.getByText('Your active sessions come from 4 or more addresses.');
  expect((await explanation.boundingBox())?.width).toBeLessThanOrEqual(1);
  await sign.focus();
  await expect.poll(async () => (await explanation.boundingBox())?.width).toBeGreaterThan(100);
  await expect(others(page).getByText('Many addresses')).toHaveCount(3);
});
