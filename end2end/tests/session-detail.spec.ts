import { readFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { EMAIL, answered, auditCount, createSession, openConsole, press, rows, search, signIn, unique } from './helpers';

/** Opens the console on the one session of `email` and its detail dialog. */
async function openDetail(page: Page, testInfo: TestInfo, email: string) {
  await openConsole(page, testInfo);
  await search(page, email);
  await expect(rows(page)).toHaveCount(1);
  await press(rows(page).getByRole('button', { name: /^View \(\d+\)$/ }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'Session details' });
  await expect(dialog.getByRole('heading', { name: 'Device' })).toBeVisible();
  return dialog;
}

test('View (N) opens the detail, whose fields match the row; Escape closes it and focus returns', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'view')}@example.net`;
  await createSession(request, 3100, { email, name: 'Vera Viewer', ip: '198.51.100.44', payload: { a: 1, b: 2, c: 3 } });
  await openConsole(page, testInfo);
  await search(page, email);
  await expect(rows(page)).toHaveCount(1);
  const row = rows(page);
  const view = row.getByRole('button', { name: 'View (3)' });
  await press(view, testInfo);
  const dialog = page.getByRole('dialog', { name: 'Session details' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('End to end (e2e)');
  await expect(dialog).toContainText(`Vera Viewer (${email}) · Member`);
  await expect(dialog).toContainText('active · Authenticated');
  await expect(dialog).toContainText('Chrome 120.0');
  await expect(dialog).toContainText('Mac OSX');
  await expect(dialog).toContainText('Unknown location');
  await expect(dialog).toContainText('Properties3');
  // The same masked address as the row, and the creation time its tooltip gives in full.
  await expect(dialog.getByRole('button', { name: 'Reveal IP' })).toHaveText('198.51.•••.•••');
  const created = (await row.locator('time').first().getAttribute('title'))!;
  await expect(dialog).toContainText(created);
  if (testInfo.project.name === 'phone') {
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(389);
    expect(box.height).toBeGreaterThanOrEqual(800);
  }
  await dialog.getByRole('button', { name: 'Advanced' }).focus();
  await page.keyboard.press('Enter');
  const advanced = dialog.getByRole('region', { name: 'Advanced' });
  await expect(advanced).toContainText(/Session id[0-9a-f]{32}/);
  await expect(advanced).toContainText('App ide2e');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(view).toBeFocused();
});

test('the payload is nowhere in the page or its responses until revealed, and the reveal is audited', async ({ page, request }, testInfo) => {
  const marker = unique(testInfo, 'secretmarker');
  const email = `${unique(testInfo, 'pay')}@example.net`;
  const created = await createSession(request, 3100, { email, name: 'Pia Payload', payload: { note: marker, plan: 'pro' } });
  const bodies: string[] = [];
  page.on('response', async (response) => {
    try {
      bodies.push(await response.text());
    } catch {
      // Redirects and aborted requests have no body.
    }
  });
  const dialog = await openDetail(page, testInfo, email);
  await expect(dialog).toContainText('Payload size');
  expect(await page.content()).not.toContain(marker);
  expect(bodies.some((body) => body.includes(marker))).toBe(false);
  expect(auditCount(3100, 'session.payload_revealed', `session:${created.id}`)).toBe(0);

  await press(dialog.getByRole('button', { name: 'View session content' }), testInfo);
  await expect(dialog.getByRole('heading', { name: 'Session payload (2 properties)' })).toBeVisible();
  await expect(dialog.locator('pre')).toContainText(`"note": "${marker}"`);
  expect(auditCount(3100, 'session.payload_revealed', `session:${created.id}`)).toBe(1);
});

test('Copy puts the detail, and the payload once revealed, on the clipboard', async ({ page, context, request }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'http://127.0.0.1:3100' });
  const email = `${unique(testInfo, 'copy')}@example.net`;
  const created = await createSession(request, 3100, { email, name: 'Cody Copy', payload: { colour: 'teal' } });
  const dialog = await openDetail(page, testInfo, email);
  const clipboard = async () => JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));

  await press(dialog.getByRole('button', { name: 'Copy' }), testInfo);
  await expect(page.getByRole('status')).toContainText('copied to the clipboard');
  let copied = await clipboard();
  expect(copied.session.id).toBe(created.id);
  expect(copied.session.user.email).toBe(email);
  expect(copied.session.app_id).toBe('e2e');
  expect(copied.payload).toBeNull();

  await press(dialog.getByRole('button', { name: 'View session content' }), testInfo);
  await expect(dialog.locator('pre')).toContainText('teal');
  await press(dialog.getByRole('button', { name: 'Copy' }), testInfo);
  await expect.poll(async () => (await clipboard()).payload).toEqual({ colour: 'teal' });
  copied = await clipboard();
  expect(copied.session.attribute_count).toBe(1);
});

test('Update payload TTL: a duration, Unlimited, and a past time refused', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'ttl')}@example.net`;
  await createSession(request, 3100, { email, name: 'Tess Ttl' });
  const dialog = await openDetail(page, testInfo, email);
  const expires = dialog.locator('dt', { hasText: /^Expires$/ }).locator('xpath=following-sibling::dd[1]');
  const before = (await expires.textContent())!;
  expect(before).toMatch(/UTC$/);

  // A time in the past: a message, and nothing changes.
  await press(dialog.getByRole('button', { name: 'Update payload TTL' }), testInfo);
  await press(dialog.getByRole('radio', { name: /^Date and time \(/ }), testInfo);
  await dialog.getByLabel(/^Expires at \(/).fill('2020-01-01T00:00');
  await press(dialog.getByRole('button', { name: 'Save expiry' }), testInfo);
  await expect(dialog.getByRole('alert')).toContainText('has already passed');
  await expect(expires).toHaveText(before);

  // Two hours from now.
  await press(dialog.getByRole('radio', { name: 'Duration from now' }), testInfo);
  await dialog.getByRole('spinbutton', { name: 'Duration' }).fill('2');
  await dialog.getByRole('combobox', { name: 'Unit' }).selectOption('hours');
  await press(dialog.getByRole('button', { name: 'Save expiry' }), testInfo);
  await expect(page.getByRole('status')).toContainText('Expiry updated');
  await expect(expires).not.toHaveText(before);
  const twoHours = (await expires.textContent())!;
  const expected = new Date(Date.now() + 2 * 3600_000).toISOString().slice(0, 13).replace('T', ' ');
  expect(twoHours.slice(0, 13)).toBe(expected);

  // Unlimited: the dialog and the row show "-".
  await press(dialog.getByRole('button', { name: 'Update payload TTL' }), testInfo);
  await press(dialog.getByRole('radio', { name: /^Unlimited/ }), testInfo);
  await press(dialog.getByRole('button', { name: 'Save expiry' }), testInfo);
  await expect(expires).toHaveText('-');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  if (testInfo.project.name === 'desktop') {
    await expect(rows(page).locator('td').nth(8)).toHaveText('-');
  } else {
    await expect(rows(page).locator('dt', { hasText: 'Expires' }).locator('xpath=following-sibling::dd[1]')).toHaveText('-');
  }
});

/** The JSON file a click on Export then `format` downloads. */
async function exportFile(page: Page, testInfo: TestInfo, format: 'Data only' | 'Include metadata') {
  await press(page.getByRole('button', { name: 'Export' }), testInfo);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    press(page.getByRole('button', { name: format }), testInfo),
  ]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8'));
}

test('Export downloads exactly the rows of a filtered, sorted second page, in both formats', async ({ page, request }, testInfo) => {
  const prefix = unique(testInfo, 'exp');
  // 30 sessions, each of its own user, so the second page of 25 holds 5.
  for (let n = 0; n < 30; n++) {
    const label = String(n).padStart(2, '0');
    await createSession(request, 3100, { email: `${prefix}${label}@example.net`, name: `Export ${label}`, payload: { n } });
  }
  await openConsole(page, testInfo, `/sessions?q=${prefix}&status=active&sort=user&dir=desc&page=2&size=25`);
  await answered(page, /page=2/);
  await expect(rows(page)).toHaveCount(5);
  await expect(page.getByTestId('pager-summary').filter({ visible: true })).toHaveText('26–30 of 30 sessions');
  const ids = await rows(page).evaluateAll((elements) => elements.map((element) => element.getAttribute('data-session-id')));
  const emails = (await rows(page).getByText(EMAIL).allTextContents()).map((email) => email.toLowerCase());
  expect(emails).toEqual(['04', '03', '02', '01', '00'].map((label) => `${prefix}${label}@example.net`.toLowerCase()));

  const data = await exportFile(page, testInfo, 'Data only');
  expect(data).toEqual({
    items: emails.map((email, index) => ({ appId: 'e2e', userEmail: email, payload: { n: 4 - index } })),
    page: 1,
    pageSize: 25,
    totalItems: 30,
    totalPages: 2,
  });

  const full = await exportFile(page, testInfo, 'Include metadata');
  expect(full.items.map((item: { id: string }) => item.id)).toEqual(ids);
  expect(full).toMatchObject({ page: 1, pageSize: 25, totalItems: 30, totalPages: 2 });
  for (const [index, item] of full.items.entries()) {
    expect(item).toMatchObject({
      userEmail: emails[index],
      appId: 'e2e',
      status: 'active',
      revokedBy: null,
      attributeCount: 1,
      payload: { n: 4 - index },
      currentDataSizeBytes: 7,
    });
    expect(Date.parse(item.createdAt)).toBeGreaterThan(Date.now() - 3_600_000);
  }
  await expect(page.getByRole('status')).toContainText('Downloaded roster-sessions-page-2-metadata.json');
});

test('a member calling the reveal, TTL or export functions directly gets 403', async ({ page, request }, testInfo) => {
  const created = await createSession(request, 3100, { email: `${unique(testInfo, 'mem')}@example.net`, name: 'Mo Member' });
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  const reveal = await page.request.post('/api/sessions/reveal_payload', { form: { session_id: created.id } });
  expect(reveal.status()).toBe(403);
  expect(await reveal.text()).not.toContain('pro');
  const ttl = await page.request.post('/api/sessions/update_ttl', {
    data: { session_id: created.id, change: { kind: 'unlimited' } },
  });
  expect(ttl.status()).toBe(403);
  const exported = await page.request.post('/api/sessions/export', {
    data: {
      query: { q: '', status: 'all', app: '', sort: 'created', dir: 'desc', page: 1, size: 50 },
      format: 'data_only',
    },
  });
  expect(exported.status()).toBe(403);
  expect(auditCount(3100, 'session.payload_revealed', `session:${created.id}`)).toBe(0);
});
