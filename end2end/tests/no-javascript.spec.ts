import { expect, test } from '@playwright/test';
import { PASSWORD, createSession, unique, validateStatus, visible } from './helpers';

test.use({ javaScriptEnabled: false });

test('sign-in works as a plain form post before any WASM loads', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill('owner@example.com');
  await page.getByLabel('Password').fill('a wrong password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');

  await page.getByRole('textbox', { name: 'Email' }).fill('owner@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  await page.goto('/my/sessions');
  await expect(page.getByText('This device', { exact: true })).toBeVisible();
});

test('the Sessions page is rendered on the server, and Revoke works as a plain form post', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'nojs')}@example.net`;
  await createSession(request, 3100, { email, name: 'Nora Script' });
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill('owner@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  // Rows without any script: the page's own search form is a plain GET.
  await expect(visible(page.locator('[data-session-id]')).first()).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search sessions' }).fill(email);
  await page.getByRole('searchbox', { name: 'Search sessions' }).press('Enter');
  await expect(page).toHaveURL(/q=/);
  const row = visible(page.locator('[data-session-id]'));
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(email);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(visible(page.locator('[data-session-id]'))).toContainText('revoked');
});

test('My sessions signs out of one session, and of all others, as plain form posts', async ({ page, request }, testInfo) => {
  const email = `plain-${testInfo.project.name}@example.com`;
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/my\/sessions$/);
  const first = await createSession(request, 3100, { email, name: 'Pia Plain', ip: '198.51.100.41' });
  await page.reload();
  const others = page.getByRole('list', { name: 'Other sessions' });
  await expect(others.getByRole('listitem')).toHaveCount(1);
  await others.getByRole('button', { name: 'Sign out' }).click();
  // Back on the page the form was posted from.
  await expect(page).toHaveURL(/\/my\/sessions\??$/);
  await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();
  expect(await validateStatus(request, 3100, first.token)).toBe(401);

  const more = [
    await createSession(request, 3100, { email, name: 'Pia Plain', ip: '198.51.100.42' }),
    await createSession(request, 3100, { email, name: 'Pia Plain', ip: '198.51.100.43' }),
  ];
  await page.reload();
  await expect(others.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
  await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();
  for (const session of more) {
    expect(await validateStatus(request, 3100, session.token)).toBe(401);
  }
  await expect(page.getByRole('list', { name: 'Current session' })).toContainText('This device');
});
