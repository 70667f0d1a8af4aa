import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { appKey, hydrated, PASSWORD, press, unique, validateStatus } from './helpers';

// Settings are workspace-wide: each project has a server of its own, so no other test meets these limits.
const portOf = (testInfo: TestInfo) => (testInfo.project.name === 'phone' ? 3106 : 3105);

async function signInAt(page: Page, testInfo: TestInfo, port: number, email: string) {
  await page.goto(`http://127.0.0.1:${port}/login`);
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await press(page.getByRole('button', { name: 'Sign in' }), testInfo);
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Presses Save and waits for the server's answer (a toast from an earlier save may still be showing). */
async function saveSettings(page: Page, testInfo: TestInfo) {
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/settings/save')),
    press(page.getByRole('button', { name: 'Save' }), testInfo),
  ]);
}

async function create(request: APIRequestContext, port: number, email: string) {
  return request.post(`http://127.0.0.1:${port}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${appKey(port)}` },
    data: { userEmail: email },
  });
}

test('the owner sees the defaults, a bad limit is refused, and the limit refuses or signs out the oldest', async ({ page, request }, testInfo) => {
  const port = portOf(testInfo);
  await signInAt(page, testInfo, port, 'owner@example.com');
  await page.goto(`http://127.0.0.1:${port}/settings`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  const idle = page.getByRole('radiogroup', { name: 'Sign out inactive sessions after' });
  await expect(idle.getByRole('radio', { name: '1 hour' })).toBeChecked();
  await expect(idle.getByRole('radio', { name: 'Never (not recommended)' })).not.toBeChecked();
  await expect(page.getByRole('spinbutton', { name: 'Absolute lifetime (hours)' })).toHaveValue('24');
  await expect(page.getByRole('checkbox', { name: 'Allow "Remember Me" on login' })).toBeChecked();
  await expect(page.getByRole('spinbutton', { name: 'Remembered sessions last (days)' })).toHaveValue('30');
  const limit = page.getByRole('spinbutton', { name: 'Maximum sessions per user' });
  await expect(limit).toHaveValue('10');
  const whenFull = page.getByRole('radiogroup', { name: 'When the limit is reached' });
  await expect(whenFull.getByRole('radio', { name: 'Refuse the new sign-in' })).toBeChecked();

  await limit.fill('-1');
  await press(page.getByRole('button', { name: 'Save' }), testInfo);
  await expect(page.getByRole('alert')).toContainText('Maximum sessions per user must be from 1 to 1000');
  await page.reload();
  await hydrated(page);
  await expect(limit).toHaveValue('10');

  await limit.fill('3');
  await saveSettings(page, testInfo);
  await expect(page.getByRole('status')).toContainText('Settings saved');
  const email = `${unique(testInfo, 'limited')}@example.com`;
  const tokens: string[] = [];
  for (let n = 0; n < 3; n++) {
    const created = await create(request, port, email);
    expect(created.status()).toBe(201);
    tokens.push((await created.json()).token);
  }
  const refused = await create(request, port, email);
  expect(refused.status()).toBe(409);
  expect((await refused.json()).error.code).toBe('too_many_sessions');

  await press(whenFull.getByRole('radio', { name: 'Sign out the oldest session' }), testInfo);
  await expect(whenFull.getByRole('radio', { name: 'Sign out the oldest session' })).toBeChecked();
  await saveSettings(page, testInfo);
  await expect(page.getByRole('alert')).toBeHidden();
  const admitted = await create(request, port, email);
  expect(admitted.status()).toBe(201);
  expect(await validateStatus(request, port, tokens[0])).toBe(401);
  expect(await validateStatus(request, port, tokens[2])).toBe(200);
});

test('only the owner opens Settings', async ({ page }, testInfo) => {
  const port = portOf(testInfo);
  for (const email of ['admin@example.com', 'member@example.com']) {
    await signInAt(page, testInfo, port, email);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toHaveCount(0);
    await page.goto(`http://127.0.0.1:${port}/settings`);
    await expect(page).not.toHaveURL(/\/settings$/);
    await page.context().clearCookies();
  }
});
