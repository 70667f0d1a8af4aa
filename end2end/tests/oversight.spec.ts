import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { appKey, attemptSignIn, createSession, hydrated, press, signIn, streaming, unique, visible } from './helpers';

const PORT = 3100;

/** Signs in as `email` (the admin by default) and opens `path` once hydrated and streaming. */
async function open(page: Page, testInfo: TestInfo, path: string, email = 'admin@example.com') {
  await signIn(page, testInfo, email);
  await expect(page).toHaveURL(/\/sessions$/);
  await page.goto(path);
  await hydrated(page);
  await streaming(page);
}

const historyRow = (page: Page, email: string) =>
  visible(page.locator('tr[data-session-id], li[data-session-id]')).filter({ hasText: email });

test('History names a console revocation Terminated by the admin and a holder\'s sign-out Signed out by the user, live', async ({ page, request }, testInfo) => {
  const revoked = `${unique(testInfo, 'histrev')}@example.com`;
  const leaving = `${unique(testInfo, 'histout')}@example.com`;
  const first = await createSession(request, PORT, { email: revoked, name: 'Rae Revoked' });
  const second = await createSession(request, PORT, { email: leaving, name: 'Lou Leaving' });

  // Revoked from the Sessions page by the admin.
  await open(page, testInfo, `/sessions?q=${encodeURIComponent(revoked)}`);
  const row = visible(page.locator('[data-session-id]'));
  await expect(row).toHaveCount(1);
  await press(row.getByRole('button', { name: 'Revoke' }), testInfo);
  await press(page.getByRole('dialog', { name: 'Revoke this session?' }).getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByRole('status')).toContainText('Session revoked');

  await press(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }), testInfo);
  await expect(page).toHaveURL(/\/sessions\/history$/);
  await expect(page.getByRole('heading', { name: 'Session history' })).toBeVisible();
  const terminated = historyRow(page, revoked);
  await expect(terminated).toHaveCount(1);
  await expect(terminated.getByTestId('ended-how')).toHaveText('Terminated');
  await expect(terminated.getByTestId('ended-by')).toHaveText('admin@example.com');
  expect(first.id).toBeTruthy();

  // The holder signs out through the app while the page is open: it appears without a reload.
  await page.getByRole('searchbox', { name: 'Search history' }).fill(leaving);
  await expect(page).toHaveURL(/q=/);
  await expect(historyRow(page, leaving)).toHaveCount(0);
  const out = await request.delete(`http://127.0.0.1:${PORT}/api/v1/sessions/current`, {
    headers: { Authorization: `Bearer ${appKey(PORT)}`, 'X-Session-Token': second.token },
  });
  expect(out.status()).toBe(204);
  const signedOut = historyRow(page, leaving);
  await expect(signedOut).toHaveCount(1, { timeout: 5_000 });
  await expect(signedOut.getByTestId('ended-how')).toHaveText('Signed out');
  await expect(signedOut.getByTestId('ended-by')).toHaveText('the user');

  // Ended how narrows to one kind.
  await page.getByRole('searchbox', { name: 'Search history' }).fill('');
  await page.getByLabel('Ended how').selectOption({ label: 'Terminated' });
  await expect(page).toHaveURL(/how=terminated/);
  await expect(visible(page.getByTestId('ended-how')).first()).toHaveText(/^Terminated/);
  await expect(visible(page.getByTestId('ended-how')).filter({ hasText: 'Signed out' })).toHaveCount(0);
});

test('the audit log shows a failed and a successful sign-in, a forced sign-out\'s reason, and verifies the chain', async ({ page, browser, request }, testInfo) => {
  // A failed then a successful sign-in of one account, typed elsewhere.
  const other = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: testInfo.project.use.viewport });
  const otherPage = await other.newPage();
  await otherPage.goto('/login');
  await hydrated(otherPage);
  await attemptSignIn(otherPage, testInfo, `plain-${testInfo.project.name}@example.com`, 'not the password at all');
  await expect(otherPage.getByRole('alert')).toBeVisible();
  await signIn(otherPage, testInfo, `plain-${testInfo.project.name}@example.com`);
  await expect(otherPage).toHaveURL(/\/my\/sessions$/);
  await other.close();

  // A forced sign-out with a reason, from Users.
  const leaver = `${unique(testInfo, 'auditforce')}@example.com`;
  await createSession(request, PORT, { email: leaver, name: 'Fay Forced' });
  await open(page, testInfo, `/users?q=${encodeURIComponent(leaver)}`);
  const userRow = visible(page.locator('tr[data-user-id], li[data-user-id]')).filter({ hasText: leaver });
  await press(userRow.getByRole('button', { name: 'Logout All Devices' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'Force sign out user' });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Laptop reported stolen');
  await press(dialog.getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByRole('status')).toContainText('1 session ended');

  await press(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }), testInfo);
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search audit log' }).fill(leaver);
  await expect(page).toHaveURL(/q=/);
  const records = visible(page.locator('tr[data-seq], li[data-seq]'));
  await expect(records.filter({ hasText: 'Laptop reported stolen' })).toHaveCount(1);
  await expect(records.filter({ hasText: 'Laptop reported stolen' })).toContainText('admin@example.com');

  const account = `plain-${testInfo.project.name}@example.com`;
  await page.getByRole('searchbox', { name: 'Search audit log' }).fill(account);
  await page.getByLabel('Action').selectOption({ label: 'Failed sign-in' });
  await expect(page).toHaveURL(/action=sign_in\.failed/);
  await expect(records.first()).toContainText(account);
  await expect(records.first()).not.toContainText('not the password');
  await page.getByLabel('Action').selectOption({ label: 'Sign-in' });
  await expect(page).toHaveURL(/action=sign_in(&|$)/);
  await expect(records.first()).toContainText(account);

  await press(page.getByRole('button', { name: 'Verify chain' }), testInfo);
  await expect(page.getByTestId('chain-check')).toHaveText(/^Chain verified: [\d,]+ records$/);
});

test('members are refused History and the audit log, and see neither in the navigation', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'History' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  for (const path of ['/sessions/history', '/audit']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/my\/sessions$/);
  }
  const form = { 'query[q]': '', 'query[dir]': 'desc', 'query[page]': '1', 'query[size]': '50' };
  for (const endpoint of ['/api/audit', '/api/history', '/api/audit/verify']) {
    const refused = await page.request.post(endpoint, { form });
    expect(refused.status(), endpoint).toBe(403);
  }
});
