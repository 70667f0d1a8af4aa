import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** A webhook receiver on loopback that answers 200 and keeps what it was sent. */
async function startReceiver() {
  const received: { signature: string; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ signature: String(request.headers['roster-signature'] ?? ''), body });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => server.close() };
}

/** What a receiver does with `Roster-Signature: t=…,v1=…`: HMAC-SHA256(secret, "t.body") must equal v1. */
function signedWith(secret: string, signature: string, body: string) {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
  return match !== null && createHmac('sha256', secret).update(`${match[1]}.${body}`).digest('hex') === match[2];
}

test('the owner sets an alarm webhook, sees its secret once, and a test event arrives signed', async ({ page }, testInfo) => {
  const receiver = await startReceiver();
  try {
    const port = portOf(testInfo);
    await signInAt(page, testInfo, port, 'owner@example.com');
    await page.goto(`http://127.0.0.1:${port}/settings`);
    await hydrated(page);
    await expect(page.getByRole('heading', { name: 'Alarm webhook' })).toBeVisible();
    const url = page.getByRole('textbox', { name: 'Webhook URL' });
    await url.fill('ftp://example.com/hook');
    await press(page.getByRole('button', { name: 'Set webhook' }), testInfo);
    await expect(page.getByRole('alert')).toContainText('must start with https://');

    await url.fill(receiver.url);
    await press(page.getByRole('button', { name: 'Set webhook' }), testInfo);
    await expect(page.getByRole('status')).toContainText('Webhook set.');
    const secretBox = page.getByRole('textbox', { name: 'Signing secret' });
    await expect(secretBox).toHaveValue(/^whsec_[A-Za-z0-9_-]{43}$/);
    const secret = await secretBox.inputValue();

    await press(page.getByRole('button', { name: 'Send test event' }), testInfo);
    await expect(page.locator('.last-delivery')).toContainText('Last delivery: delivered, HTTP 200 OK');
    expect(receiver.received).toHaveLength(1);
    const [post] = receiver.received;
    expect(JSON.parse(post.body).type).toBe('webhook.test');
    expect(signedWith(secret, post.signature, post.body)).toBe(true);
    expect(signedWith('whsec_not-the-secret', post.signature, post.body)).toBe(false);

    // Shown once: a reload shows the URL and the last delivery, never the secret.
    await page.reload();
    await hydrated(page);
    await expect(url).toHaveValue(receiver.url);
    await expect(page.locator('.last-delivery')).toContainText('delivered, HTTP 200 OK');
    await expect(secretBox).toHaveCount(0);

    await press(page.getByRole('button', { name: 'Remove webhook' }), testInfo);
    await expect(page.getByRole('status')).toContainText('Webhook removed.');
    await expect(page.getByRole('button', { name: 'Send test event' })).toHaveCount(0);
    await page.reload();
    await hydrated(page);
    await expect(url).toHaveValue('');
  } finally {
    receiver.close();
  }
});
