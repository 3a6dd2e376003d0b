// Every page reachable from the navigation, for each role: it answers 200, the browser sees
// no console error, page error or failed request, the accessibility smoke check passes, every
// text is translated, and a screenshot is saved. The pages are found by following the links
// of the signed-in home page and its navigation (breadth first, a few levels deep), so a new
// page is covered as soon as it is linked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  newPage,
  signIn,
  clickAndWaitForNavigation,
  shot,
  a11yCheck,
  textCheck,
  fitsWidth,
  USERS,
  PHONE,
} from './harness.mjs';

const env = setup();

/** Where each role may go: links elsewhere (sign-out, downloads, other sites) are not followed. */
const AREAS = {
  requester: ['/portal'],
  manager: ['/portal'],
  agent: ['/agent'],
  admin: ['/agent', '/admin'],
};

const MAX_PAGES = 30;
const MAX_DEPTH = 3;
/** Pages that differ only by an id (one request, one organisation…) are visited this often. */
const PER_PATTERN = 2;

/** Query parameters that only reorder or page through the same view. */
const VARIANTS = new Set(['sort', 'cursor', 'page', 'offset', 'q']);

/** A page's kind: ids become `:n`, other query values that are ids become `*`, and sorting or
 * paging is left out (so each view is visited once as it is and once re-sorted). */
function pattern(url) {
  const u = new URL(url);
  const path = u.pathname.replace(/\/\d+(?=\/|$)/g, '/:n');
  const query = [...u.searchParams.entries()]
    .filter(([k]) => !VARIANTS.has(k))
    .map(([k, v]) => `${k}=${/^[a-z_-]{1,30}$/i.test(v) ? v : '*'}`)
    .sort()
    .join('&');
  return query ? `${path}?${query}` : path;
}

function slug(url) {
  const u = new URL(url);
  const text = `${u.pathname}${u.search}`.replace(/^\//, '').replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return (text || 'home').slice(0, 80);
}

async function links(page, baseURL, areas) {
  const hrefs = await page.locator('a[href]').evaluateAll((as) =>
    as.filter((a) => !a.hasAttribute('download')).map((a) => a.href),
  );
  const out = [];
  for (const href of hrefs) {
    const u = new URL(href);
    if (u.origin !== new URL(baseURL).origin) continue;
    u.hash = '';
    if (!areas.some((p) => u.pathname === p || u.pathname.startsWith(`${p}/`) || u.pathname.startsWith(`${p}?`))) continue;
    out.push(u.toString());
  }
  return out;
}

async function visitAll(t, role, email) {
  const context = await env.newContext();
  const page = await newPage(context, t);
  await signIn(page, email);
  const start = page.url();
  const areas = AREAS[role];
  assert.ok(areas.some((p) => new URL(start).pathname.startsWith(p)), `${role} lands in ${areas.join(' or ')}, not ${start}`);

  const queue = [{ url: start, depth: 0 }];
  const seenUrls = new Set();
  const perPattern = new Map();
  const visited = [];
  while (queue.length > 0 && visited.length < MAX_PAGES) {
    const { url, depth } = queue.shift();
    if (seenUrls.has(url)) continue;
    seenUrls.add(url);
    const kind = pattern(url);
    const count = perPattern.get(kind) ?? 0;
    if (count >= PER_PATTERN) continue;
    perPattern.set(kind, count + 1);

    const response = await page.goto(url);
    assert.equal(response.status(), 200, `${role}: ${url} answered ${response.status()}`);
    assert.equal(new URL(page.url()).pathname, new URL(url).pathname, `${role}: ${url} redirected to ${page.url()}`);
    await page.waitForLoadState('load');
    await a11yCheck(page);
    await textCheck(page);
    await shot(page, `pages-${role}-${slug(url)}`);
    visited.push(url);

    if (depth < MAX_DEPTH) {
      for (const next of await links(page, env.baseURL, areas)) {
        if (!seenUrls.has(next)) queue.push({ url: next, depth: depth + 1 });
      }
    }
  }
  t.diagnostic(`${role}: ${visited.length} pages: ${visited.map((u) => new URL(u).pathname + new URL(u).search).join(' ')}`);
  return { page, visited };
}

/**
 * The site has an icon. Browsers ask for one on a first visit; without it Chromium logs
 * "Failed to load resource: 404" for /favicon.ico in the console of the first page opened.
 */
async function assertIcon() {
  const html = await (await fetch(`${env.baseURL}/login`)).text();
  const declared = html.match(/<link[^>]+rel="(?:shortcut )?icon"[^>]*>/i);
  let href = '/favicon.ico';
  if (declared) {
    const m = declared[0].match(/href="([^"]+)"/);
    if (m) href = m[1];
  }
  if (href.startsWith('data:')) return;
  const res = await fetch(new URL(href, env.baseURL));
  assert.equal(res.status, 200, `the icon ${href} answers ${res.status}: declare one in base.html or serve /favicon.ico`);
  assert.match(res.headers.get('content-type') ?? '', /^image\//);
}

test('requester: every page from the navigation', async (t) => {
  const { page, visited } = await visitAll(t, 'requester', USERS.requester);
  const paths = visited.map((u) => new URL(u).pathname);
  for (const p of ['/portal', '/portal/new', '/portal/alcance']) assert.ok(paths.includes(p), `visited ${p}`);
  assert.ok(paths.some((p) => /^\/portal\/tickets\/\d+$/.test(p)), 'visited a request page');
  // The navigation offers the requester the portal only.
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await nav.getByRole('link', { name: 'Mis solicitudes' }).waitFor();
  await nav.getByRole('link', { name: 'Nueva solicitud' }).waitFor();
  await nav.getByRole('link', { name: 'Nuestro alcance de soporte' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Bandeja' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Administración' }).count(), 0);
  await assertIcon();
});

test('manager: every page from the navigation', async (t) => {
  const { visited } = await visitAll(t, 'manager', USERS.manager);
  const paths = visited.map((u) => new URL(u).pathname);
  for (const p of ['/portal', '/portal/new', '/portal/alcance']) assert.ok(paths.includes(p), `visited ${p}`);
});

test('agent: every page from the navigation', async (t) => {
  const { page, visited } = await visitAll(t, 'agent', USERS.agent);
  const paths = visited.map((u) => new URL(u).pathname);
  assert.ok(paths.includes('/agent'), 'visited the queue');
  assert.ok(paths.some((p) => /^\/agent\/tickets\/\d+$/.test(p)), 'visited a ticket page');
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await nav.getByRole('link', { name: 'Bandeja' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Administración' }).count(), 0, 'an agent has no admin link');
});

test('admin: every page from the navigation', async (t) => {
  const { page, visited } = await visitAll(t, 'admin', USERS.admin);
  const paths = visited.map((u) => new URL(u).pathname);
  assert.ok(paths.includes('/admin'), 'visited the admin');
  assert.ok(paths.filter((p) => p.startsWith('/admin/')).length >= 3, 'visited the admin sections');
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await nav.getByRole('link', { name: 'Bandeja' }).waitFor();
  await nav.getByRole('link', { name: 'Administración' }).waitFor();
});

test('the portal list and the new-request form at 360 px', async (t) => {
  const context = await env.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await newPage(context, t);
  await signIn(page, USERS.requester);

  await page.goto('/portal');
  await page.getByRole('heading', { level: 1, name: 'Mis solicitudes' }).waitFor();
  await a11yCheck(page);
  await fitsWidth(page);
  await shot(page, 'phone-portal-list');

  await page.goto('/portal/new');
  await page.getByRole('heading', { level: 1, name: 'Nueva solicitud' }).waitFor();
  await a11yCheck(page);
  await fitsWidth(page);
  await shot(page, 'phone-portal-new');

  // A request page, as a client reads it on the phone.
  await page.goto('/portal?status=all');
  const first = page.locator('table.portal-requests a[href^="/portal/tickets/"]').first();
  await clickAndWaitForNavigation(page, first);
  await a11yCheck(page);
  await fitsWidth(page);
  await shot(page, 'phone-portal-request');
});

test('the agent queue and a ticket at 360 px', async (t) => {
  const context = await env.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await newPage(context, t);
  await signIn(page, USERS.agent);
  await page.goto('/agent?view=open');
  await a11yCheck(page);
  await fitsWidth(page);
  await shot(page, 'phone-agent-queue');
  await clickAndWaitForNavigation(page, page.locator('tr[data-queue-row] a').first());
  await a11yCheck(page);
  await fitsWidth(page);
  await shot(page, 'phone-agent-ticket');
});
