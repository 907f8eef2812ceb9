// ctest studio_in_chromium: `earshot studio` driven the way a person would, in Debian's headless
// chromium (puppeteer-core) with a fake microphone playing an alarm scene, plus its HTTP API
// driven the way an attacker would.
//   node sim/studio_check.mjs EARSHOT_BIN DATA_DIR WORK_DIR
// DATA_DIR (alarms/<kind>, background/<kind>) is copied into WORK_DIR/data. Checks:
//  - access: no token, a wrong token, a foreign Host (DNS rebinding) or Origin are refused (403);
//    names with '..', absolute paths, symlinks out of the folder and bad classes are refused
//    (400) and nothing is written;
//  - Dataset: every class and clip is listed with a spectrogram thumbnail that loads;
//  - Record: a 2 s take from the fake microphone is saved as a 16 kHz mono WAV of 2 s with
//    sound in it; deleting it moves it to the trash and Undo brings it back;
//  - Train: a small `earshot demo` run starts, streams its lines, finishes, and its held-out
//    metrics and downloads appear; Build UF2 cross-builds the app for that model (a UF2 for
//    the RP2040 family); Cancel stops a second run;
//  - Live: the alarm scene through the browser's microphone and the exact device loop turns the
//    alarm on; Board: the page parses a board's serial line.
// Screenshots of each view go to WORK_DIR (docs/studio_*.png are copies).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { readWav } from './audio.mjs';

const [earshot, dataDir, work] = process.argv.slice(2);
if (!work) {
  console.error('usage: studio_check.mjs EARSHOT_BIN DATA_DIR WORK_DIR');
  process.exit(2);
}
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`${chromium}: not found (scripts/setup installs Debian's chromium)`);
  process.exit(2);
}
rmSync(work, { recursive: true, force: true });
const data = join(work, 'data'), out = join(work, 'out');
mkdirSync(data, { recursive: true });
cpSync(join(dataDir, 'alarms'), join(data, 'alarms'), { recursive: true });
cpSync(join(dataDir, 'background'), join(data, 'background'), { recursive: true });
const scene = join(work, 'scene.wav');
// The fake microphone loops this file: background, an alarm from 2 s to 10 s, background.
execFileSync(earshot, ['synth', scene, '--scene', '--scene-seconds', '12', '--alarm-seconds', '8'], { stdio: 'ignore' });

let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
};

// The studio, on a free port; its first lines name the URL.
// (XDG_CACHE_HOME: the firmware build folder stays in WORK_DIR.)
const studio = spawn(earshot, ['studio', '--data', data, '--out', out, '--port', '0'],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache') } });
let studioOutput = '';
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no URL from earshot studio: ${studioOutput}`)), 10000);
  studio.stdout.on('data', (d) => {
    studioOutput += d;
    const m = studioOutput.match(/open (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+))/);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  studio.on('exit', (code) => reject(new Error(`earshot studio exited (${code}): ${studioOutput}`)));
});
const { port, searchParams } = new URL(url);
const token = searchParams.get('token');
check(token.length === 32, `studio serving ${url.replace(token, '<token>')}`);

// A raw HTTP request (node:http lets us set Host, which fetch would not).
function request(method, path, { headers = {}, body = null } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
const own = { Host: `127.0.0.1:${port}`, 'X-Earshot-Token': token };

// ---- access checks through the API --------------------------------------------------------
{
  const cases = [
    ['no token', { Host: own.Host }],
    ['a wrong token', { Host: own.Host, 'X-Earshot-Token': '0'.repeat(32) }],
    ['a foreign Host (DNS rebinding)', { ...own, Host: `evil.example:${port}` }],
    ['a foreign Origin', { ...own, Origin: 'http://evil.example' }],
    ['a page on another port of this machine', { ...own, Origin: 'http://127.0.0.1:1' }],
  ];
  for (const [what, headers] of cases) {
    const r = await request('GET', '/api/dataset', { headers });
    check(r.status === 403, `refused with ${what}: ${r.status} ${r.body.slice(0, 90)}`);
  }
  const ok = await request('GET', '/api/dataset', { headers: { ...own, Origin: `http://127.0.0.1:${port}` } });
  check(ok.status === 200, `allowed with the token, own Host and own Origin: ${ok.status}`);
  const viaQuery = await request('GET', `/api/dataset?token=${token}`, { headers: { Host: `localhost:${port}` } });
  check(viaQuery.status === 200, `allowed with ?token= and Host localhost: ${viaQuery.status}`);
  symlinkSync('/etc', join(data, 'alarms', 'outside'));
  const paths = [
    ['..', '/api/clip?name=../../../etc/passwd'],
    ['an absolute path', '/api/clip?name=%2Fetc%2Fpasswd'],
    ['a symlink out of the folder', '/api/clip?name=alarms%2Foutside%2Fpasswd'],
    ['a hidden part', '/api/thumbnail?name=alarms%2F.trash%2Fx.wav'],
    ['.. in the run output', '/run/..%2Fdata%2Falarms'],
  ];
  for (const [what, path] of paths) {
    const r = await request('GET', path, { headers: own });
    check(r.status === 400 && !r.body.includes('root:'), `name with ${what} refused: ${r.status} ${r.body.slice(0, 90)}`);
  }
  const moveOut = await request('POST', '/api/move', { headers: { ...own, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'alarms/pico_tutorial/325367__moonlightshadow__fire-house-alarm.flac', to: '../../elsewhere' }) });
  check(moveOut.status === 400, `moving a clip out of the folder refused: ${moveOut.status} ${moveOut.body.slice(0, 90)}`);
  const badClass = await request('POST', '/api/take?class=..%2Fescape', { headers: own, body: Buffer.alloc(100) });
  const notWav = await request('POST', '/api/take?class=background%2Fnoise', { headers: own, body: Buffer.from('not a wav file at all') });
  check(badClass.status === 400 && notWav.status === 400 && !existsSync(join(work, 'escape')) && !existsSync(join(data, 'background', 'noise', 'take-001.wav')),
    `takes into a bad class or with bad audio refused, nothing written: ${badClass.status}, ${notWav.status} ${notWav.body.slice(0, 80)}`);
  rmSync(join(data, 'alarms', 'outside'));
}

// ---- the page in a browser with a fake microphone -----------------------------------------
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${scene}`, '--autoplay-policy=no-user-gesture-required'],
});
const errors = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.setViewport({ width: 1200, height: 900 });
  const tab = async (name) => { await page.click(`nav button[data-tab="${name}"]`); await new Promise((r) => setTimeout(r, 300)); };
  const waitText = (selector, re, timeout) => page.waitForFunction((s, r) => new RegExp(r).test(document.querySelector(s).textContent), { timeout, polling: 200 }, selector, re.source);

  await page.goto(url, { waitUntil: 'networkidle0' });
  // Dataset
  await page.waitForSelector('.class');
  const view = await page.evaluate(() => ({
    classes: [...document.querySelectorAll('.class h3')].map((h) => h.textContent),
    clips: document.querySelectorAll('.clip').length,
  }));
  const files = (dir) => readdirSync(join(data, dir), { recursive: true }).filter((f) => /\.(flac|wav)$/.test(f)).length;
  check(view.classes.length === 2 && view.clips === files('alarms') + files('background'),
    `Dataset: ${view.classes.length} classes (${view.classes.join('; ')}), ${view.clips} clips listed`);
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), { timeout: 30000 });
  const thumbs = await page.evaluate(() => [...document.querySelectorAll('.clip img')].map((i) => i.naturalWidth > 0 && i.naturalHeight === 129));
  check(thumbs.length === view.clips && thumbs.every(Boolean), `Dataset: ${thumbs.filter(Boolean).length} of ${view.clips} spectrogram thumbnails loaded (129 bins high)`);
  const warnings = await page.$eval('#warnings', (w) => w.textContent);
  check(/with fewer than 3|imbalanced/.test(warnings) || warnings === '', `Dataset warnings shown: ${warnings.slice(0, 120) || '(none)'}`);
  await page.screenshot({ path: join(work, 'studio_dataset.png') });

  // Record a 2 s take into a new class
  await tab('record');
  await page.waitForFunction(() => document.querySelectorAll('#rec-device option').length > 0, { timeout: 10000 });
  const inputs = await page.$$eval('#rec-device option', (o) => o.map((x) => x.textContent));
  await page.$eval('#rec-new-class', (e) => { e.value = 'background/studio_takes'; });
  await page.$eval('#rec-seconds', (e) => { e.value = '2'; });
  await page.click('#rec-start');
  await waitText('#rec-status', /saved|error|not/, 30000);
  const status = await page.$eval('#rec-status', (e) => e.textContent);
  const takePath = join(data, 'background', 'studio_takes', 'take-001.wav');
  check(status.includes('background/studio_takes/take-001.wav') && existsSync(takePath), `Record: ${status} (inputs: ${inputs.join(', ')})`);
  if (existsSync(takePath)) {
    const take = readWav(takePath);  // fails unless 16 kHz mono 16-bit PCM
    const rms = Math.sqrt(take.reduce((s, v) => s + v * v, 0) / take.length);
    check(take.length === 32000 && rms > 100, `Record: the take is 16 kHz mono 16-bit, ${take.length} samples (2 s), RMS ${rms.toFixed(0)} (the fake microphone's scene)`);
  }
  await page.screenshot({ path: join(work, 'studio_record.png') });

  // Delete the take, then undo
  await tab('dataset');
  await page.waitForSelector('.clip[data-name="background/studio_takes/take-001.wav"]');
  await page.click('.clip[data-name="background/studio_takes/take-001.wav"] .delete');
  await page.waitForFunction(() => !document.querySelector('.clip[data-name="background/studio_takes/take-001.wav"]'), { timeout: 10000 });
  const deleted = !existsSync(takePath) && existsSync(join(data, '.trash', '1', 'background', 'studio_takes', 'take-001.wav'));
  await page.click('#undo');
  await page.waitForSelector('.clip[data-name="background/studio_takes/take-001.wav"]', { timeout: 10000 });
  check(deleted && existsSync(takePath), `Dataset: Delete moved the take to .trash, Undo brought it back`);

  // Train (small) and see it finish
  await tab('train');
  await page.$eval('#train-small', (e) => { e.checked = true; });
  await page.click('#train-start');
  await waitText('#train-status', /finished|failed|cancelled/, 180000);
  const trainStatus = await page.$eval('#train-status', (e) => e.textContent);
  const log = await page.$eval('#train-log', (e) => e.textContent);
  check(trainStatus === 'finished', `Train: ${trainStatus} after ${log.split('\n').length} log lines (first: ${log.split('\n')[0]})`);
  await page.waitForSelector('#train-result table', { timeout: 10000 });
  const result = await page.$eval('#train-result', (e) => e.textContent);
  check(/event recall/.test(result) && /fire_alarm\.tflite/.test(result) && existsSync(join(out, 'fire_alarm.tflite')),
    `Train: held-out metrics and downloads shown (${result.match(/all[^a-z]*/)?.[0]?.trim() ?? '?'})`);
  const tflite = await page.evaluate(async () => (await fetch('/run/fire_alarm.tflite?download=1')).arrayBuffer().then((b) => b.byteLength));
  check(tflite > 1000, `Train: the .tflite downloads (${tflite} bytes)`);
  // The app for that model and the Pico, built from source and offered for download
  await page.click('#fw-build');
  await waitText('#train-status', /building/, 10000);
  await waitText('#train-status', /finished|failed|cancelled/, 300000);
  const uf2Path = join(out, 'earshot_app-pico.uf2');
  const uf2 = existsSync(uf2Path) ? readFileSync(uf2Path) : Buffer.alloc(0);
  check(uf2.length >= 512 && uf2.readUInt32LE(0) === 0x0a324655 && uf2.readUInt32LE(28) === 0xe48bff56,
    `Firmware: ${await page.$eval('#train-status', (e) => e.textContent)}, earshot_app-pico.uf2 is UF2 for the RP2040 (${uf2.length / 512} blocks)`);
  await page.waitForFunction(() => /earshot_app-pico\.uf2/.test(document.querySelector('#train-result').textContent), { timeout: 10000 });
  await page.screenshot({ path: join(work, 'studio_train.png'), fullPage: true });
  // A second run, cancelled
  await page.$eval('#train-small', (e) => { e.checked = false; });
  await page.click('#train-start');
  await waitText('#train-log', /\$ earshot demo/, 10000);
  await page.click('#train-cancel');
  await waitText('#train-status', /cancelled|finished|failed/, 30000);
  check(await page.$eval('#train-status', (e) => e.textContent) === 'cancelled' && existsSync(join(out, 'fire_alarm.tflite')),
    'Train: Cancel stops a run, the previous output stays');

  // Live: the alarm scene through the fake microphone
  await tab('live');
  await page.select('#live-model', 'shipped');
  await page.click('#live-start');
  let alarmOn = true;
  try { await waitText('#live-state', /ALARM ON/, 60000); } catch { alarmOn = false; }
  const blocks = await page.evaluate(() => window.earshotStudio.livePlot.points.length);
  check(alarmOn, `Live: the alarm turned on through the device loop (${blocks} blocks scored)`);
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: join(work, 'studio_live.png') });
  await page.click('#live-stop');

  // Board: the serial line parser (Web Serial itself needs a real port and a person's choice)
  await tab('board');
  const parsed = await page.evaluate(() => window.earshotStudio.parseBoardLine('score=0.930 q=110 alarm=1 t=1234ms dropped=0 lines_dropped=0 cycles_pdm=1'));
  const other = await page.evaluate(() => window.earshotStudio.parseBoardLine('alarm on t=5632ms'));
  check(parsed && parsed.score === 0.93 && parsed.q === 110 && parsed.alarm === true && parsed.t_ms === 1234 && other === null,
    `Board: serial lines parsed (${JSON.stringify(parsed)})`);
  await page.screenshot({ path: join(work, 'studio_board.png') });
  check(errors.length === 0, `no page errors${errors.length ? `: ${errors.join('; ')}` : ''}`);
} finally {
  await browser.close();
}

// Ctrl-C stops the studio cleanly.
const exited = new Promise((resolve) => studio.on('exit', (code) => resolve(code)));
studio.kill('SIGINT');
const code = await exited;
check(code === 0 && /stopped/.test(studioOutput), `Ctrl-C stops the studio (exit ${code})`);
writeFileSync(join(work, 'result.txt'), failures ? 'FAIL\n' : 'ok\n');
process.exit(failures ? 1 : 0);
