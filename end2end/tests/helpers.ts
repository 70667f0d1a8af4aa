import { type Locator, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'correct horse battery staple';

/** Waits until the WASM has hydrated the page, so clicks reach Leptos and not the bare HTML. */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
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
