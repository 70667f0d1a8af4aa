import { expect, test } from '@playwright/test';
import { PASSWORD } from './helpers';

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
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await expect(page.getByText('This device')).toBeVisible();
});
