import { expect, test } from '@playwright/test';
import { PASSWORD, attemptSignIn, hydrated, press, signIn } from './helpers';

test('the owner signs in, stays signed in across a reload, and signs out', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'owner@example.com');
  // Owners land on the Sessions console.
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['Sessions', 'History', 'My sessions', 'Users', 'Apps', 'Audit log', /^Alarms( \(\d+\))?$/, 'Analytics', 'Settings']);
  await expect(page).toHaveTitle('Sessions · Roster');
  await page.goto('/my/sessions');
  await hydrated(page);
  await expect(page.getByText('This device', { exact: true })).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();

  await press(page.getByRole('banner').getByRole('button', { name: 'Sign out' }), testInfo);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  // The ended session stays ended: the protected page sends the browser back to sign-in.
  await page.goto('/my/sessions');
  await expect(page).toHaveURL(/\/login$/);
});

test('a wrong password shows a message and does not sign in', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'owner@example.com', 'not the right password');
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('ten wrong passwords lock the account, and then even the right one is refused', async ({ page }, testInfo) => {
  const email = `lock-${testInfo.project.name}@example.com`;
  await page.goto('/login');
  await hydrated(page);
  const alert = page.getByRole('alert');
  for (let attempt = 1; attempt <= 10; attempt++) {
    await attemptSignIn(page, testInfo, email, `wrong password number ${attempt}`);
    const expected = attempt < 10 ? 'Email or password is incorrect.' : /Too many failed sign-ins/;
    await expect(alert).toHaveText(expected);
  }
  await attemptSignIn(page, testInfo, email, PASSWORD);
  await expect(alert).toHaveText('Too many failed sign-ins. Try again in 15 minutes.');
  await expect(page).toHaveURL(/\/login$/);
});

test('a locked-out message never reveals whether the email exists', async ({ page }, testInfo) => {
  const email = `nobody-${testInfo.project.name}@example.com`;
  await page.goto('/login');
  await hydrated(page);
  for (let attempt = 1; attempt <= 10; attempt++) {
    await attemptSignIn(page, testInfo, email, `guess number ${attempt} for nobody`);
  }
  await expect(page.getByRole('alert')).toHaveText('Too many failed sign-ins. Try again in 15 minutes.');
});

test('a member lands on their own sessions', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await expect(page.getByRole('heading', { name: 'My sessions' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Max Member');
  // The navigation offers only what a member may open; the Sessions console sends them back here.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText(['My sessions']);
  await expect(page).toHaveTitle('My sessions · Roster');
  await page.goto('/sessions');
  await expect(page).toHaveURL(/\/my\/sessions$/);
});

test('an anonymous visitor is sent to sign-in', async ({ page }) => {
  await page.goto('/my/sessions');
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('the session cookie is HttpOnly and SameSite=Strict, and lasts past the browser only with Remember me', async ({
  page,
  context,
}, testInfo) => {
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  let [cookie] = (await context.cookies()).filter((c) => c.name === 'roster_session');
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe('Strict');
  expect(cookie.expires).toBe(-1);

  await press(page.getByRole('banner').getByRole('button', { name: 'Sign out' }), testInfo);
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, testInfo, 'member@example.com', PASSWORD, { rememberMe: true });
  await expect(page).toHaveURL(/\/my\/sessions$/);
  [cookie] = (await context.cookies()).filter((c) => c.name === 'roster_session');
  const days = (cookie.expires * 1000 - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29);
});
