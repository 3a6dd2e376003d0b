// Shared machinery for Alcance's browser tests.
//
// Each test file calls `setup()` once at its top: before its first test a fresh server is
// started (`$ALCANCE_BIN serve --demo` on a free port with a temporary SQLite data dir) and
// Debian's headless Chromium is launched; after its last test both are stopped and the data
// dir is removed. Pages made with `newPage()` record console errors, page errors and failed
// requests, and fail the test that made them if any occurred.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = path.resolve(ROOT, process.env.E2E_SCREENSHOTS ?? 'target/e2e-screenshots');
export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const PASSWORD = 'alcance-demo-2026';

/** Demo sign-ins (crates/alcance-app/src/demo.rs and demo/tickets.rs). */
export const USERS = {
  admin: 'admin@igniweb.co',
  agent: 'laura.gomez@igniweb.co',
  manager: 'jorge.vargas@camaraarmenia.example.co',
  requester: 'yuliana.arango@camaraarmenia.example.co',
  requester2: 'luzmarina.ocampo@camaraarmenia.example.co',
  semillasManager: 'manuela.restrepo@semillasdepaz.example.co',
  semillasRequester: 'felipe.ocampo@semillasdepaz.example.co',
  ceibaManager: 'camilo.zuluaga@laceiba.example.co',
  ceibaRequester: 'katherine.munoz@laceiba.example.co',
};

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function binary() {
  const bin = process.env.ALCANCE_BIN ?? 'target/debug/alcance';
  const resolved = path.resolve(ROOT, bin);
  if (!existsSync(resolved)) {
    throw new Error(`ALCANCE_BIN ${resolved} does not exist: build it with \`cargo build -p alcance\` (or run ./scripts/e2e)`);
  }
  return resolved;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `alcance serve --demo` and waits until /healthz answers. */
export async function startServer() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'alcance-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const args = ['serve', '--demo', '--addr', `127.0.0.1:${port}`, '--data-dir', dataDir];
  const child = spawn(binary(), args, {
    cwd: dataDir,
    env: { ...process.env, ALCANCE_LOG_FORMAT: 'text', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const started = Date.now();
  for (;;) {
    if (exited) {
      throw new Error(`alcance exited (${JSON.stringify(exited)}) before it answered:\n${log}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`alcance did not answer /healthz within 120 s:\n${log}`);
    }
    await sleep(200);
  }

  return {
    baseURL,
    dataDir,
    log: () => log,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 50 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the file's before/after hooks and returns the environment the tests use:
 * `env.baseURL`, `env.browser`, `env.newContext(options)`, `env.serverLog()`.
 */
export function setup() {
  const env = {
    server: null,
    browser: null,
    contexts: [],
    get baseURL() {
      return this.server.baseURL;
    },
    serverLog() {
      return this.server ? this.server.log() : '';
    },
    /** A fresh browser profile (its own cookies): Spanish (es-CO), desktop size unless told. */
    async newContext({ viewport = DESKTOP, locale = 'es-CO', ...rest } = {}) {
      const context = await this.browser.newContext({ baseURL: this.baseURL, viewport, locale, ...rest });
      context.setDefaultTimeout(15_000);
      context.setDefaultNavigationTimeout(30_000);
      this.contexts.push(context);
      return context;
    },
  };
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    env.server = await startServer();
    env.browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  });
  after(async () => {
    for (const c of env.contexts) await c.close().catch(() => {});
    if (env.browser) await env.browser.close().catch(() => {});
    if (env.server) {
      const log = env.server.log();
      await env.server.stop();
      // A panic in the server is a bug even when every page looked right.
      assert.doesNotMatch(log, /panicked at/, `the server panicked:\n${log}`);
    }
  });
  return env;
}

/**
 * A new page in `context` that records what goes wrong. When `t` (the test context) is given,
 * the test fails at its end if any console error, page error or failed request occurred.
 * `page.allowStatus(pathOrRegExp, status)` lets an expected HTTP error through (e.g. the 404
 * of a not-found page navigation). `page.problems` lists what was recorded.
 */
export async function newPage(context, t) {
  const page = await context.newPage();
  const problems = [];
  const allowed = [];
  // Chromium reports an HTTP error of a document or resource as a console error too
  // ("Failed to load resource: the server responded with a status of 404"); an allowed
  // status also allows that one message, once per allowed response.
  let allowedConsole = 0;
  const isAllowed = (url, status) => {
    const { pathname } = new URL(url);
    return allowed.some((a) => a.status === status && (a.path instanceof RegExp ? a.path.test(pathname) : a.path === pathname));
  };
  page.allowStatus = (pathOrRegExp, status) => allowed.push({ path: pathOrRegExp, status });
  page.problems = problems;

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (allowedConsole > 0 && /Failed to load resource: the server responded with a status of/.test(text)) {
      allowedConsole--;
      return;
    }
    const where = msg.location()?.url ? ` (${msg.location().url})` : '';
    // Chromium asks for /favicon.ico by itself, and only sometimes (a quick navigation cancels
    // it): pages.test.mjs checks the icon once, deterministically, instead.
    if (/\/favicon\.ico$/.test(msg.location()?.url ?? '')) return;
    problems.push(`console error on ${page.url()}: ${text}${where}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? 'failed';
    // A request cancelled because the page navigated away (e.g. a poll in flight) is normal.
    if (failure === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()}: ${failure}`);
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status < 400) return;
    if (isAllowed(res.url(), status)) {
      allowedConsole++;
      return;
    }
    problems.push(`HTTP ${status} for ${res.request().method()} ${res.url()}`);
  });

  if (t) {
    t.after(() => assertClean(page));
  }
  return page;
}

/** Fails when the page recorded a console error, a page error or a failed request. */
export function assertClean(page) {
  assert.deepEqual(page.problems, [], `problems in the browser:\n${page.problems.join('\n')}`);
}

/** Signs in through the /login form, found by its labels (Spanish or English). */
export async function signIn(page, email, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel(/^(Correo electrónico|E-mail)$/).fill(email);
  await page.getByLabel(/^(Contraseña|Password)$/).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.getByRole('button', { name: /^(Ingresar|Sign in)$/ }).click(),
  ]);
}

/** Signs out with the header's button. */
export async function signOut(page) {
  await Promise.all([
    page.waitForURL((url) => url.pathname.startsWith('/login')),
    page.getByRole('button', { name: /^(Cerrar sesión|Sign out)$/ }).click(),
  ]);
}

/** Switches the interface language with the header's switch; waits for the page to reload. */
export async function switchLanguage(page, lang) {
  const name = lang === 'en' ? 'English' : 'Español';
  await clickAndWaitForNavigation(page, page.locator('form.lang-switch').getByRole('button', { name, exact: true }));
}

/** Clicks something that loads a new document (a link or a form submission) and waits for it. */
export async function clickAndWaitForNavigation(page, locator) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

/** A full-page screenshot saved as target/e2e-screenshots/<name>.png. */
export async function shot(page, name) {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/**
 * The accessibility smoke check: <html lang> is es or en; exactly one h1; every control that
 * is not hidden input has a label (label[for], a wrapping label, aria-label or
 * aria-labelledby) with text; every img has an alt attribute.
 */
export async function a11yCheck(page) {
  const problems = await page.evaluate(() => {
    const found = [];
    const describe = (el) => {
      const bits = [el.tagName.toLowerCase()];
      if (el.id) bits.push(`#${el.id}`);
      if (el.getAttribute('name')) bits.push(`[name=${el.getAttribute('name')}]`);
      if (el.getAttribute('type')) bits.push(`[type=${el.getAttribute('type')}]`);
      if (el.getAttribute('src')) bits.push(`[src=${el.getAttribute('src')}]`);
      return bits.join('');
    };
    const lang = document.documentElement.getAttribute('lang');
    if (lang !== 'es' && lang !== 'en') found.push(`<html lang> is ${JSON.stringify(lang)}, not es or en`);
    const h1s = document.querySelectorAll('h1');
    if (h1s.length !== 1) found.push(`${h1s.length} h1 elements, expected exactly one`);
    for (const h1 of h1s) if (!h1.textContent.trim()) found.push('an empty h1');
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.tagName === 'INPUT' && (el.getAttribute('type') || '').toLowerCase() === 'hidden') continue;
      const aria = (el.getAttribute('aria-label') || '').trim();
      const labelledby = (el.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id))
        .filter((n) => n && n.textContent.trim());
      const labels = [...(el.labels || [])].filter((l) => l.textContent.trim());
      if (!aria && labelledby.length === 0 && labels.length === 0) found.push(`${describe(el)} has no label`);
    }
    for (const img of document.querySelectorAll('img')) {
      if (!img.hasAttribute('alt')) found.push(`${describe(img)} has no alt`);
    }
    return found;
  });
  assert.deepEqual(problems, [], `accessibility problems on ${page.url()}:\n${problems.join('\n')}`);
}

/**
 * Every text on the page came through Fluent: no unknown key ("Unknown localization key")
 * and no unfilled placeable ("{ $name }") shows.
 */
export async function textCheck(page) {
  const text = await page.locator('body').innerText();
  const found = [];
  for (const m of text.matchAll(/Unknown localization key[^\n]*/g)) found.push(m[0]);
  for (const m of text.matchAll(/\{\s*\$[a-z_-]+\s*\}/gi)) found.push(`unfilled placeable ${m[0]}`);
  const title = await page.title();
  if (/Unknown localization key/.test(title)) found.push(`title: ${title}`);
  assert.deepEqual(found, [], `untranslated text on ${page.url()}:\n${found.join('\n')}`);
}

/** The page fits its viewport's width: nothing makes the whole page scroll sideways. */
export async function fitsWidth(page) {
  const { scroll, width, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-wrap, .visually-hidden, .skip-link'))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`);
    return { scroll: document.documentElement.scrollWidth, width, culprits };
  });
  assert.ok(scroll <= width + 1, `${page.url()} is ${scroll}px wide in a ${width}px viewport (too wide: ${culprits.join(', ')})`);
}

/** The text of the page's single h1. */
export async function h1(page) {
  return (await page.locator('h1').first().innerText()).trim();
}

/** A small valid PNG (a 16x16 square in the brand's blue), built in memory. */
export function pngBuffer() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const size = 16;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(size).fill([0x0b, 0x5c, 0xad]).flat())]);
  const raw = Buffer.concat(Array(size).fill(row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
