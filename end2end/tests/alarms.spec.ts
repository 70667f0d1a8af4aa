import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { appKey, createSession, hydrated, PASSWORD, press, signIn, streaming, unique, validateStatus, visible } from './helpers';

// The open count is workspace-wide: each project has a server of its own, so no other test raises or
// acknowledges an alarm while one of these counts them.
const portOf = (testInfo: TestInfo) => (testInfo.project.name === 'phone' ? 3108 : 3107);

async function openAlarms(page: Page, testInfo: TestInfo) {
  const port = portOf(testInfo);
  await page.goto(`http://127.0.0.1:${port}/login`);
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Email' }).fill('admin@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await press(page.getByRole('button', { name: 'Sign in' }), testInfo);
  await expect(page).toHaveURL(/\/sessions$/);
  await page.goto(`http://127.0.0.1:${port}/alarms`);
  await hydrated(page);
  await streaming(page);
  await expect(page.getByRole('heading', { name: 'Alarms' })).toBeVisible();
}

/** The alarm of this kind about this email, as a row (desktop) or a card (phone). */
const alarm = (page: Page, kind: string, email: string) =>
  visible(page.locator('tr[data-alarm-id], li[data-alarm-id]'))
    .filter({ hasText: email })
    .filter({ has: page.getByTestId('alarm-kind').getByText(kind, { exact: true }) });

test('four addresses raise IP spread on an open page; Acknowledge; the navigation counts open alarms live', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'spread')}@example.com`;
  const PORT = portOf(testInfo);
  await openAlarms(page, testInfo);
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Alarms/ });
  await expect(link).toHaveText(/^Alarms \(\d+\)$/);
  const before = Number((await link.textContent())!.match(/\((\d+)\)/)![1]);

  for (const n of [1, 2, 3, 4]) {
    await createSession(request, PORT, { email, name: 'Sam Spread', ip: `198.51.100.${n}` });
  }
  const raised = alarm(page, 'IP spread', email);
  await expect(raised).toHaveCount(1, { timeout: 5_000 });
  await expect(raised).toContainText('4 addresses');
  await expect(raised.getByTestId('alarm-state')).toHaveText('Open');
  await expect(link).toHaveText(`Alarms (${before + 1})`);

  await press(raised.getByRole('button', { name: 'Acknowledge' }), testInfo);
  await expect(page.getByRole('status')).toContainText('Alarm acknowledged');
  await expect(raised.getByTestId('alarm-state')).toHaveText('Acknowledged');
  await expect(raised).toContainText('admin@example.com');
  await expect(raised.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
  await expect(link).toHaveText(`Alarms (${before})`);
});

test('an 11th session raises Session limit reached; Logout All Devices from the alarm ends the user\'s sessions', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'limit')}@example.com`;
  const PORT = portOf(testInfo);
  const sessions = [];
  for (let n = 0; n < 10; n += 1) {
    sessions.push(await createSession(request, PORT, { email, name: 'Lin Limit', ip: '198.51.100.50' }));
  }
  await openAlarms(page, testInfo);
  const refused = await request.post(`http://127.0.0.1:${PORT}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${appKey(PORT)}` },
    data: { userEmail: email, ip: '198.51.100.50' },
  });
  expect(refused.status()).toBe(409);
  const raised = alarm(page, 'Session limit reached', email);
  await expect(raised).toHaveCount(1, { timeout: 5_000 });
  await expect(raised).toContainText('refused');

  await press(raised.getByRole('button', { name: 'Logout All Devices' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'Force sign out user' });
  await expect(dialog).toContainText(email);
  const confirm = dialog.getByRole('button', { name: 'Confirm' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Too many sessions at once');
  await press(confirm, testInfo);
  await expect(page.getByRole('status')).toContainText('10 sessions ended');
  for (const session of [sessions[0], sessions[9]]) {
    expect(await validateStatus(request, PORT, session.token)).toBe(401);
  }
});

test('members are refused Alarms and see no Alarms link', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Alarms/ })).toHaveCount(0);
  await page.goto('/alarms');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  for (const [endpoint, form] of [['/api/alarms', { page: '1' }], ['/api/alarms/acknowledge', { alarm_id: '1' }]] as const) {
    const refused = await page.request.post(endpoint, { form });
    expect(refused.status(), endpoint).toBe(403);
  }
});
