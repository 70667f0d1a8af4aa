import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { adminToken, appKey, createSession, hydrated, PASSWORD, press, signIn, streaming, unique, validateStatus, visible } from './helpers';

const PORT = 3100;

async function openUsers(page: Page, testInfo: TestInfo, email = 'owner@example.com') {
  await signIn(page, testInfo, email);
  await expect(page).toHaveURL(/\/sessions$/);
  await page.goto('/users');
  await hydrated(page);
  await streaming(page);
}

/** The one row (desktop) or card (phone) on screen for this email. */
const userRow = (page: Page, email: string) =>
  visible(page.locator('tr[data-user-id], li[data-user-id]')).filter({ hasText: email });

async function search(page: Page, text: string) {
  await page.getByRole('searchbox', { name: 'Search users' }).fill(text);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(text)}`));
}

test('search narrows users; Logout All Devices needs a reason and ends only that user\'s sessions', async ({ page, request }, testInfo) => {
  const name = unique(testInfo, 'leaving');
  const email = `${name}@example.com`;
  const other = `${unique(testInfo, 'staying')}@example.com`;
  const first = await createSession(request, PORT, { email, name: 'Lee Leaving' });
  const second = await createSession(request, PORT, { email, name: 'Lee Leaving' });
  const kept = await createSession(request, PORT, { email: other, name: 'Sam Staying' });

  await openUsers(page, testInfo);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByTestId('total-active-sessions')).toContainText(/Total active sessions: \d/);
  await search(page, name);
  await expect(visible(page.locator('tr[data-user-id], li[data-user-id]'))).toHaveCount(1);
  const row = userRow(page, email);
  await expect(row).toContainText('Member');
  await expect(row.locator('.badge', { hasText: /^Active$/ })).toBeVisible();
  await expect(row).toContainText('Lee Leaving');
  await expect(row.getByTestId('active-sessions')).toHaveText('2');
  await expect(row.getByRole('link', { name: 'Sessions' })).toHaveAttribute('href', `/sessions?q=${encodeURIComponent(email)}`);

  await press(row.getByRole('button', { name: 'Logout All Devices' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'Force sign out user' });
  await expect(dialog).toContainText(email);
  await expect(dialog.getByTestId('force-active-sessions')).toHaveText('2');
  const confirm = dialog.getByRole('button', { name: 'Confirm' });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('   ');
  await expect(confirm).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Security concern');
  await expect(dialog.getByRole('checkbox', { name: 'Tell the user why' })).not.toBeChecked();
  await press(confirm, testInfo);
  await expect(page.getByRole('status')).toContainText('2 sessions ended');
  expect(await validateStatus(request, PORT, first.token)).toBe(401);
  expect(await validateStatus(request, PORT, second.token)).toBe(401);
  expect(await validateStatus(request, PORT, kept.token)).toBe(200);
  await expect(userRow(page, email).getByTestId('active-sessions')).toHaveText('0');
});

test('Add user names the password rule; Disable signs them out and refuses them until Enable', async ({ page, browser, request }, testInfo) => {
  const email = `${unique(testInfo, 'newhire')}@example.com`;
  await openUsers(page, testInfo);
  await press(page.getByRole('button', { name: 'Add user' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Nia Newhire');
  await dialog.getByLabel('Password').fill('too short');
  await press(dialog.getByRole('button', { name: 'Add user' }), testInfo);
  await expect(dialog.getByRole('alert')).toContainText('at least 12 characters');
  await dialog.getByLabel('Password').fill(PASSWORD);
  await expect(dialog.getByRole('button', { name: 'Add user' })).toBeEnabled();
  await press(dialog.getByRole('button', { name: 'Add user' }), testInfo);
  await expect(page.getByRole('status')).toContainText('User added');
  await expect(dialog).toBeHidden();

  // The new user signs in elsewhere and an app gives them a session.
  const theirs = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: testInfo.project.use.viewport });
  const theirPage = await theirs.newPage();
  await signIn(theirPage, testInfo, email);
  await expect(theirPage).toHaveURL(/\/my\/sessions$/);
  const app = await createSession(request, PORT, { email, name: 'Nia Newhire' });

  await search(page, email.split('@')[0]);
  const row = userRow(page, email);
  await press(row.getByRole('button', { name: 'Disable' }), testInfo);
  const disable = page.getByRole('dialog', { name: 'Disable user' });
  await expect(disable.getByRole('button', { name: 'Confirm' })).toBeDisabled();
  await disable.getByRole('textbox', { name: 'Reason' }).fill('Contract ended');
  await press(disable.getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(row).toContainText('Disabled');
  expect(await validateStatus(request, PORT, app.token)).toBe(401);
  const refused = await request.post(`http://127.0.0.1:${PORT}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${appKey(PORT)}` },
    data: { userEmail: email },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('user_disabled');
  await signIn(theirPage, testInfo, email);
  await expect(theirPage.getByRole('alert')).toContainText('disabled');

  await press(row.getByRole('button', { name: 'Enable' }), testInfo);
  // The badge itself: a phone card also says "Active sessions", which would match before the answer came.
  await expect(row.locator('.badge', { hasText: /^Active$/ })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Disable' })).toBeVisible();
  const back = await request.post(`http://127.0.0.1:${PORT}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${appKey(PORT)}` },
    data: { userEmail: email },
  });
  expect(back.status()).toBe(201);
  await theirs.close();
});

test('an owner changes roles; an admin sees them but cannot; a member has no Users page', async ({ page, browser, request }, testInfo) => {
  const email = `${unique(testInfo, 'promoted')}@example.com`;
  await createSession(request, PORT, { email, name: 'Pat Promoted' });
  const listed = await request.get(`http://127.0.0.1:${PORT}/api/admin/users?q=${encodeURIComponent(email)}`, {
    headers: { Authorization: `Bearer ${adminToken(PORT)}` },
  });
  const [user] = (await listed.json()).items;
  expect(user.email).toBe(email);

  await openUsers(page, testInfo);
  await search(page, email.split('@')[0]);
  const role = userRow(page, email).getByRole('combobox', { name: 'Role' });
  await role.selectOption('billing_manager');
  await expect(page.getByRole('status')).toContainText('Role changed');
  await expect(role).toHaveValue('billing_manager');

  const adminContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: testInfo.project.use.viewport });
  const admin = await adminContext.newPage();
  await openUsers(admin, testInfo, 'admin@example.com');
  await search(admin, email.split('@')[0]);
  await expect(userRow(admin, email)).toContainText('Billing manager');
  await expect(admin.getByRole('combobox', { name: 'Role' })).toHaveCount(0);
  await adminContext.close();

  const memberContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: testInfo.project.use.viewport });
  const member = await memberContext.newPage();
  await signIn(member, testInfo, 'member@example.com');
  await expect(member).toHaveURL(/\/my\/sessions$/);
  await expect(member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await member.goto('/users');
  await expect(member).toHaveURL(/\/my\/sessions$/);
  await memberContext.close();
});

test('a change made elsewhere updates the list but leaves an open dialog and what was typed in it', async ({ page, request }, testInfo) => {
  const name = unique(testInfo, 'steady');
  const email = `${name}@example.com`;
  await createSession(request, PORT, { email, name: 'Sol Steady' });
  await openUsers(page, testInfo);
  await search(page, name);
  const row = userRow(page, email);
  await expect(row.getByTestId('active-sessions')).toHaveText('1');

  await press(row.getByRole('button', { name: 'Disable' }), testInfo);
  const disable = page.getByRole('dialog', { name: 'Disable user' });
  await disable.getByRole('textbox', { name: 'Reason' }).fill('Half typed');
  // Watches for the page itself leaving the document, which would close the modal and lose what was typed.
  await page.evaluate(() => {
    const section = document.querySelector('section.page');
    const seen = window as unknown as { pageRemoved: boolean };
    seen.pageRemoved = false;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.removedNodes) {
          if (node === section || node.contains(section)) seen.pageRemoved = true;
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });

  // An app gives the user a second session: the live stream refreshes the row behind the dialog.
  await createSession(request, PORT, { email, name: 'Sol Steady' });
  await expect(row.getByTestId('active-sessions')).toHaveText('2');

  await expect(disable).toBeVisible();
  expect(await disable.evaluate((dialog) => dialog.matches(':modal'))).toBe(true);
  await expect(disable.getByRole('textbox', { name: 'Reason' })).toHaveValue('Half typed');
  expect(await page.evaluate(() => (window as unknown as { pageRemoved: boolean }).pageRemoved)).toBe(false);
  await expect(page.getByRole('searchbox', { name: 'Search users' })).toHaveValue(name);
});
