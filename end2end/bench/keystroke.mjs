// Keystroke to updated rows on the Sessions page, in headless Chromium, against a running Roster (see
// scripts/bench-console.sh). Types search terms one key at a time and times each key until the rows on screen
// answer the text typed so far. Prints p50/p75/max; asserts nothing.
import { chromium } from '@playwright/test';

const base = process.env.BENCH_URL ?? 'http://127.0.0.1:3200';
const email = process.env.BENCH_EMAIL ?? 'bench@example.com';
const password = process.env.BENCH_PASSWORD ?? 'correct horse battery staple';
const terms = (process.env.BENCH_TERMS ?? 'ada hopper meal 10.1 revok ma.').split(' ');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${base}/login`);
await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
await page.getByRole('textbox', { name: 'Email' }).fill(email);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL(/\/sessions/);
await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
const box = page.getByRole('searchbox', { name: 'Search sessions' });

const timings = [];
for (const term of terms) {
  await box.fill('');
  await page.waitForFunction(() => document.querySelector('.session-table')?.dataset.answeredQ === '');
  let typed = '';
  for (const key of term) {
    typed += key;
    const started = performance.now();
    await box.press(key === ' ' ? 'Space' : key);
    await page.waitForFunction(
      (text) => document.querySelector('.session-table')?.dataset.answeredQ === text,
      typed,
      { polling: 'raf', timeout: 10_000 },
    );
    timings.push({ ms: performance.now() - started, typed });
  }
}
await browser.close();

const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
const at = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
console.log(`keystroke to updated rows, ${sorted.length} keys (search debounce 40 ms included):`);
console.log(`  p50 ${at(0.5).toFixed(0)} ms   p75 ${at(0.75).toFixed(0)} ms   max ${sorted[sorted.length - 1].toFixed(0)} ms   (target: p75 ≤ 100 ms)`);
for (const t of timings) {
  console.log(`    ${t.ms.toFixed(0).padStart(5)} ms  "${t.typed}"`);
}
