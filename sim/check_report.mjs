// Opens an earshot report in headless Chromium (Debian's /usr/bin/chromium, driven by
// puppeteer-core) the way a person would, and checks that it renders: every picture loads
// (complete, with pixels), the page has its title and tables, nothing logs an error.
// Saves a full-page screenshot.
//
//   node sim/check_report.mjs REPORT.html SCREENSHOT.png [--min-images N]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [report, screenshot, ...rest] = process.argv.slice(2);
const minImages = rest[0] === '--min-images' ? Number(rest[1]) : 1;
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!report || !screenshot) {
  console.error('usage: check_report.mjs REPORT.html SCREENSHOT.png [--min-images N]');
  process.exit(2);
}
if (!existsSync(chromium)) {
  console.error(`${chromium}: not found (scripts/setup installs Debian's chromium)`);
  process.exit(2);
}
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
};
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // Root in CI containers needs --no-sandbox; file:// pages read their sibling images.
  args: ['--no-sandbox', '--allow-file-access-from-files', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('requestfailed', (r) => errors.push(`failed to load ${r.url()}`));
  await page.setViewport({ width: 1100, height: 900 });
  await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: 'load' });
  const images = await page.evaluate(() => [...document.images].map((i) => ({
    src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth, height: i.naturalHeight })));
  check(images.length >= minImages, `${images.length} pictures (at least ${minImages})`);
  for (const i of images) check(i.complete && i.width > 0 && i.height > 0, `picture ${i.src} loaded (${i.width}x${i.height})`);
  const title = await page.title();
  check(title.length > 0, `page title: ${title}`);
  const tables = await page.evaluate(() => document.querySelectorAll('table').length);
  check(tables > 0, `${tables} table(s)`);
  check(errors.length === 0, `no page errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
  await page.screenshot({ path: screenshot, fullPage: true });
  check(existsSync(screenshot), `screenshot ${screenshot}`);
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
