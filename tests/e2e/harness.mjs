// The browser-test harness shared by run.mjs and directory.mjs: starts the server on a free
// port with a fresh SQLite database and the demo data, launches the Debian chromium through
// playwright-core, runs each scenario as a node:test test whose result counts in the final line
// ("N passed, M failed", the last line printed), records axe-core (WCAG 2.2 A and AA, and best practices) and
// reflow findings for every page audited, and on exit stops the server (a non-zero exit status
// of the server, such as a sanitizer report, fails the run) and removes its temporary
// directory, also on failure. Needs node_modules (scripts/install-deps); it never downloads a
// browser.
//
//   import { start, scenario, ... } from './harness.mjs';
//   const { t } = messages(['en.json', ...], ['fr.json', ...]);
//   await start({ tmpPrefix: 'arrimage-e2e-' });

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = path.resolve(here, '..', '..');

const CHROMIUM = process.env.ARRIMAGE_E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORTS = [{ width: 375, height: 740 }, { width: 1280, height: 900 }];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const STARTUP_TIMEOUT_MS = 90_000;   // an ASan build migrates and loads the demo data slowly
const ACTION_TIMEOUT_MS = 20_000;
const SCENARIO_TIMEOUT_MS = 150_000;

// ---------------------------------------------------------------- messages

// The message catalogue the server embeds, from these files of src/web/messages or of a
// feature's src/features/*/web/messages: the tests compare against it rather than copy text.
// t(lang, key, ...args) fills {0}, {1}...
function messageFile(name) {
  const dirs = [path.join(sourceDir, 'src/web/messages'),
    ...fs.readdirSync(path.join(sourceDir, 'src/features')).map((f) => path.join(sourceDir, 'src/features', f, 'web/messages'))];
  const found = dirs.map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
  if (!found) throw new Error(`no message file ${name} in src/web/messages or src/features/*/web/messages`);
  return found;
}
export function messages(enFiles, frFiles) {
  const read = (files) => Object.assign({},
    ...files.map((name) => JSON.parse(fs.readFileSync(messageFile(name), 'utf8'))));
  const catalogue = { en: read(enFiles), fr: read(frFiles) };
  const t = (lang, key, ...args) => {
    const text = catalogue[lang][key];
    if (text === undefined) throw new Error(`no message ${key} in the ${lang} catalogue files ${(lang === 'en' ? enFiles : frFiles).join(', ')}`);
    return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
  };
  return { catalogue, t };
}

// ---------------------------------------------------------------- bookkeeping

let passed = 0;
let failed = 0;
let summaryPrinted = false;
function printSummary() {
  if (summaryPrinted) return;
  summaryPrinted = true;
  // Synchronous, so it is the last line even when the process is exiting.
  fs.writeSync(1, `${passed} passed, ${failed} failed\n`);
}

const binary = process.argv[2] ? path.resolve(process.argv[2]) : '';
let tmpDir = '';
let tmpPrefix = 'arrimage-e2e-';
let server = null;        // the child process
let serverExited = null;  // resolves with {code, signal}
const serverLog = [];     // last lines of its output, for failure messages
let browser = null;
let server_url = '';

function remember(line) {
  if (line.includes('"route":"static"')) return;  // asset requests: noise in a failure message
  serverLog.push(line);
  if (serverLog.length > 30) serverLog.shift();
}

function serverTail() {
  return serverLog.length ? `\n--- last server output ---\n${serverLog.join('\n')}` : '';
}

async function stopServer() {
  if (!server) return;
  const child = server;
  server = null;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const { code, signal } = await serverExited;
    clearTimeout(timer);
    // A sanitizer report (a leak, undefined behaviour while shutting down) makes the exit status
    // non-zero: that fails the run too.
    if (code !== 0) {
      failed += 1;
      process.exitCode = 1;
      console.log(`# FAILED: on SIGTERM the server stopped with ${signal ? `signal ${signal}` : `exit status ${code}`}` +
        serverTail().replace(/\n/g, '\n# '));
    }
  }
}

function removeTmpDir() {
  if (tmpDir) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    tmpDir = '';
  }
}

async function teardown() {
  try {
    if (browser) await browser.close();
  } catch {
    // The browser may already be gone.
  }
  browser = null;
  await stopServer();
  removeTmpDir();
}

// Last resort when the process ends abruptly: no server or directory left behind.
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  removeTmpDir();
  printSummary();
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    failed += 1;
    console.log(`# interrupted by ${sig}`);
    process.exit(1);
  });
}

// ---------------------------------------------------------------- server and browser

function startServer() {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const args = ['serve', '--migrate', '--demo-data-if-empty', '--insecure-fast-password-hash', '--dev',
    '--database-url', `sqlite:${path.join(tmpDir, 'e2e.db')}`, '--port', '0', '--listen', '127.0.0.1',
    '--threads', '2'];
  const child = spawn(binary, args, { cwd: tmpDir, stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  serverExited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err, url) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(url);
    };
    const timer = setTimeout(
      () => finish(new Error(`the server did not say it was ready within ${STARTUP_TIMEOUT_MS / 1000} s${serverTail()}`)),
      STARTUP_TIMEOUT_MS);
    const onLines = (stream, onLine) => {
      let buffered = '';
      // Keep reading for the whole run, or the server blocks once the pipe is full.
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffered += chunk;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          remember(line);
          onLine(line);
        }
      });
    };
    onLines(child.stdout, (line) => {
      const m = /^Arrimage is ready at (http:\/\/[^/\s]+)\/\s*$/.exec(line);
      if (m) finish(null, m[1]);
    });
    onLines(child.stderr, () => {});
    child.on('error', (err) => finish(new Error(`cannot start ${binary}: ${err.message}`)));
    child.on('exit', (code, signal) =>
      finish(new Error(`the server exited before it was ready (${signal || code})${serverTail()}`)));
  });
}

// ---------------------------------------------------------------- accessibility

const audits = [];  // {label, viewport, violations}

function describeViolations(list) {
  return list.map((v) => {
    const targets = v.nodes.map((n) => n.target.join(' ')).join(', ');
    return `${v.id} (${v.impact}): ${v.help} — ${targets}`;
  });
}

// WCAG 1.4.10 (reflow), which axe does not test: at a phone's width nothing may make the page
// scroll sideways. A wide data table may scroll inside its own focusable region.
async function reflowProblems(page) {
  const found = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.parentElement && el.parentElement.closest('.arr-table-wrap')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) {
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}`);
      }
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 6) };
  });
  if (!found) return [];
  return [`reflow (WCAG 1.4.10): the page is ${found.scrollWidth} px wide in a ${found.width} px window — ` +
    (found.culprits.join(', ') || 'no visible element sticks out: look for positioned or hidden content')];
}

// Runs axe on the page as it is now, at each viewport, and records what it finds.
// The accessibility test at the end fails if anything was found anywhere.
export async function audit(page, label) {
  const original = page.viewportSize();
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    const violations = describeViolations(result.violations);
    if (vp.width < 400) violations.push(...await reflowProblems(page));
    audits.push({ label: `${label} [${new URL(page.url()).pathname}]`, viewport: `${vp.width}x${vp.height}`, violations });
  }
  if (original) await page.setViewportSize(original);
}

// ---------------------------------------------------------------- page helpers

export async function newPage(lang) {
  // @axe-core/playwright needs a page from a context it can open more pages in.
  const context = await browser.newContext({
    locale: lang === 'fr' ? 'fr-CA' : 'en-CA',
    extraHTTPHeaders: { 'Accept-Language': lang === 'fr' ? 'fr-CA,fr;q=0.9' : 'en-CA,en;q=0.9' },
    viewport: VIEWPORTS[1],
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  return page;
}

export async function goto(page, pathname) {
  return page.goto(server_url + pathname, { waitUntil: 'load' });
}

// Clicks something that loads a new page (a link or a form's button) and waits for it.
export async function clickAndWait(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return response;
}

export const squash = (s) => s.replace(/\s+/g, ' ').trim();
export async function text(locator) {
  return squash(await locator.innerText());
}

export async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

// Signs in as one of the demo's accounts (they share one password), then works in `lang` (a
// signed-in user's language is their account's: the header's switch changes it).
export async function signInDemo(page, email, lang) {
  await goto(page, '/login');
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill('demo-password-2026');
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  if ((await htmlLang(page)) !== lang) await clickAndWait(page, page.locator(`form[action="/lang/${lang}"] button`));
  assert.equal(await htmlLang(page), lang);
}

export async function expectPath(page, expected) {
  const actual = new URL(page.url()).pathname;
  if (expected instanceof RegExp) assert.match(actual, expected, `unexpected page ${page.url()}`);
  else assert.equal(actual, expected, `unexpected page ${page.url()}`);
}

export async function expectHeading(page, expected) {
  assert.equal(await text(page.locator('h1')), expected);
}

// What the scripts read of the harness's state: the server's address, its temporary directory
// (for files a scenario writes), and every axe check recorded so far.
export const baseUrl = () => server_url;
export const workDir = () => tmpDir;

// A test whose result counts in the final line. When it fails, the message says where the
// browser was and ends with the server's last output.
export function scenario(name, fn, { withServerLog = true } = {}) {
  test(name, { timeout: SCENARIO_TIMEOUT_MS }, async (testContext) => {
    const pages = [];
    const track = async (lang) => {
      const p = await newPage(lang);
      pages.push(p);
      return p;
    };
    try {
      await fn({ track, diagnostic: (msg) => testContext.diagnostic(msg) });
      passed += 1;
    } catch (err) {
      failed += 1;
      const where = [];
      for (const p of pages) {
        if (p.isClosed()) continue;
        let main = '';
        try {
          main = squash(await p.locator('main').innerText({ timeout: 1000 })).slice(0, 400);
        } catch {
          // No main element.
        }
        where.push(`page ${p.url()}: ${main}`);
      }
      const tail = withServerLog ? serverTail() : '';
      if (where.length || tail) err.message += `\n${where.join('\n')}${tail}`;
      throw err;
    } finally {
      for (const p of pages) {
        await p.context().close().catch(() => {});
      }
    }
  });
}

// Starts the server (temporary directory named from `prefix`) and the browser; stops both after
// the last test. Exits when the binary is missing or either cannot start.
export async function start({ prefix }) {
  tmpPrefix = prefix;
  if (!binary || !fs.existsSync(binary)) {
    console.error(`usage: node ${path.relative(process.cwd(), process.argv[1] || '')} PATH/TO/arrimage`);
    failed += 1;
    process.exit(2);
  }
  const startedAt = Date.now();
  try {
    server_url = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    console.log(`# server at ${server_url}, ready in ${Date.now() - startedAt} ms; chromium ${browser.version()}`);
  } catch (err) {
    console.error(`# cannot start: ${err.message}`);
    failed += 1;
    await teardown();
    process.exit(1);
  }
  after(async () => {
    await teardown();
    console.log(`# finished in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });
}

// The last scenario of a script: every page the scenarios before it audited, at both viewports,
// passed axe and reflowed; and at least `minPages` pages were audited.
export function accessibilityScenario(name, minPages) {
  scenario(name, async ({ diagnostic }) => {
    const checked = new Set(audits.map((a) => a.label));
    assert.ok(checked.size >= minPages, `only ${checked.size} pages were checked: did a scenario stop early?`);
    const problems = audits.filter((a) => a.violations.length)
      .map((a) => `${a.label} at ${a.viewport}:\n    ${a.violations.join('\n    ')}`);
    if (problems.length) {
      assert.fail(`accessibility problems on ${problems.length} of ${audits.length} page checks:\n  ${problems.join('\n  ')}`);
    }
    diagnostic(`axe: ${checked.size} pages, ${audits.length} checks, no violations; no sideways scrolling at 375 px`);
  }, { withServerLog: false });
}
