import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

// The common laptop screens, a small laptop window, a current phone and a small one. Each runs in Madrid's time
// zone (UTC+1 in December, UTC+2 in summer), so the tests can tell local times from UTC.
const SCREENS = [
  { name: 'laptop 1280', width: 1280, height: 800, phone: false, actionsInView: true },
  { name: 'small laptop 1024', width: 1024, height: 768, phone: false, actionsInView: true },
  { name: 'phone 390', width: 390, height: 844, phone: true, actionsInView: false },
  { name: 'small phone 360', width: 360, height: 740, phone: true, actionsInView: false },
];

for (const screen of SCREENS) {
  test(`Sessions on a ${screen.name} screen: no sideways page scroll, actions in view, times in the viewer's zone`, async ({
    browser,
  }, testInfo) => {
    const context = await browser.newContext({
      viewport: { width: screen.width, height: screen.height },
      isMobile: screen.phone,
      hasTouch: screen.phone,
      timezoneId: 'Europe/Madrid',
    });
    const page = await context.newPage();
    await signIn(page, testInfo, 'owner@example.com');
    await expect(page).toHaveURL(/\/sessions$/);
    await hydrated(page);
    await expect(page.getByTestId('zone-note')).toHaveText('Times in Europe/Madrid');

    const widths = await page.evaluate(() => ({
      page: document.scrollingElement!.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.page, 'nothing wider than the screen').toBeLessThanOrEqual(widths.viewport);

    // This browser's own session: active, so it has every action, whatever other tests end meanwhile.
    const own = page.locator(screen.phone ? '.session-card' : 'tbody tr').filter({ hasText: 'This device' });
    for (const name of [/^View \(\d+\)$/, /^Revoke$/]) {
      const box = (await own.getByRole('button', { name }).first().boundingBox())!;
      expect(box, `${name} is on the page`).not.toBeNull();
      if (screen.actionsInView) {
        expect(box.x + box.width, `${name} ends inside the window`).toBeLessThanOrEqual(screen.width);
      }
    }
    if (screen.width >= 1280) {
      const expires = (await page.getByRole('columnheader', { name: 'Expires' }).boundingBox())!;
      expect(expires.x + expires.width, 'every column fits at 1280').toBeLessThanOrEqual(screen.width);
    }

    // A time's tooltip gives it in the viewer's zone and in UTC, an hour apart in December.
    const title = (await own.locator('time[title*="Europe/Madrid"]').first().getAttribute('title'))!;
    const [, local, utc] = title.match(/ (\d\d):\d\d Europe\/Madrid \((\d\d):\d\d UTC\)$/)!;
    const offset = (Number(local) - Number(utc) + 24) % 24;
    expect([1, 2], `Madrid is UTC+1 or UTC+2: ${title}`).toContain(offset);

    // A keyboard user on the row sees its full times too, without a tab stop per time.
    await own.getByRole('button', { name: /^View \(\d+\)$/ }).first().focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const shown = await own
      .locator('time[title*="Europe/Madrid"]')
      .first()
      .evaluate((time) => getComputedStyle(time, '::after').content);
    expect(shown).toBe(JSON.stringify(title));

    await testInfo.attach(`sessions-${screen.width}x${screen.height}.png`, {
      body: await page.screenshot(),
      contentType: 'image/png',
    });
    await context.close();
  });
}

test('dark mode follows the system, and the page stays readable', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, testInfo, 'owner@example.com');
  await expect(page).toHaveURL(/\/sessions$/);
  await hydrated(page);
  const colours = await page.evaluate(() => {
    const rgb = (element: Element, property: 'color' | 'backgroundColor') =>
      getComputedStyle(element)[property].match(/\d+/g)!.slice(0, 3).map(Number);
    return { background: rgb(document.documentElement, 'backgroundColor'), text: rgb(document.body, 'color') };
  });
  const luminance = ([r, g, b]: number[]) => {
    const linear = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  expect(luminance(colours.background), 'a dark background').toBeLessThan(0.05);
  const contrast = (luminance(colours.text) + 0.05) / (luminance(colours.background) + 0.05);
  expect(contrast, 'text meets WCAG AA').toBeGreaterThanOrEqual(4.5);
  await testInfo.attach('sessions-dark.png', { body: await page.screenshot(), contentType: 'image/png' });
  await context.close();
});
