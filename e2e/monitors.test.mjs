// Proactive monitoring in the browser. The admin sets up a monitor for the Cámara's portal (a
// tiny site this test serves on loopback) on /admin/monitors; the agent sees it "Funcionando"
// on /agent/monitors; the site stops and the console links the covered ticket Alcance opened
// by itself; the site comes back and the ticket is resolved; the Cámara's manager sees the
// incident on the status page. Screenshots at each step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setup, newPage, signIn, clickAndWaitForNavigation, shot, h1, USERS } from './harness.mjs';
import { pathname, check } from './steps.mjs';

// The server this file starts may check loopback, every second (the defaults refuse both).
process.env.ALCANCE_MONITOR_ALLOW_NETWORKS = '127.0.0.0/8';
process.env.ALCANCE_MONITOR_MIN_INTERVAL_SECONDS = '1';
const env = setup();

/** The texts the flow reads (crates/alcance-web/locales/es/monitors.ftl). */
const T = {
  adminTitle: 'Monitoreo',
  consoleTitle: 'Monitoreo de servidores',
  create: 'Crear monitor',
  created: 'El monitor quedó creado.',
  up: 'Funcionando',
  down: 'Con problemas',
  problems: 'Hay servicios con problemas',
};
const CAMARA = 'Cámara de Comercio de Armenia y el Quindío';

/** A site on a fixed loopback port that can be stopped and started again. */
function site(port) {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<h1>Portal de trámites</h1><p>Sistema en línea</p>');
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

function stop(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(resolve));
}

/** Reloads `page` until `locator` shows `text` (checks run every second). */
async function waitForText(page, locator, text, what) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const shown = await locator.innerText().catch(() => '');
    if (shown.includes(text)) return shown;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}: "${shown}"`);
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
}

test('a monitored site that goes down opens a covered ticket, and coming back resolves it', async (t) => {
  let portal = await site(0);
  const port = portal.address().port;
  const run = Date.now().toString(36).slice(-5);
  const name = `Portal de trámites ${run}`;

  // 1. The admin sets up the monitor.
  const admin = await newPage(await env.newContext(), t);
  await signIn(admin, USERS.admin);
  await admin.goto('/admin/monitors');
  assert.equal(await h1(admin), T.adminTitle);
  await admin.locator('#monitor-org').selectOption({ label: CAMARA });
  await admin.locator('#monitor-kind').selectOption('http');
  await admin.locator('#monitor-name').fill(name);
  await admin.locator('#monitor-target').fill(`http://127.0.0.1:${port}/`);
  await admin.locator('#monitor-keyword').fill('en línea');
  await admin.locator('#monitor-interval').fill('1');
  await admin.locator('#monitor-timeout').fill('1');
  await clickAndWaitForNavigation(admin, admin.getByRole('button', { name: T.create, exact: true }));
  await admin.getByRole('status').filter({ hasText: T.created }).waitFor();
  await check(admin);
  await shot(admin, 'monitors-01-admin-created');

  // 2. The agent's console shows it up.
  const agent = await newPage(await env.newContext(), t);
  await signIn(agent, USERS.agent);
  await agent.goto('/agent/monitors');
  assert.equal(await h1(agent), T.consoleTitle);
  const row = agent.locator('tr', { has: agent.getByRole('link', { name, exact: true }) });
  await waitForText(agent, row, T.up, 'the monitor to see the site up');
  await check(agent);
  await shot(agent, 'monitors-02-console-up');

  // 3. The site stops: the console links the ticket Alcance opened.
  await stop(portal);
  const down = await waitForText(agent, row, T.down, 'the monitor to see the site down');
  const link = row.getByRole('link', { name: /^#\d+$/ });
  await link.waitFor();
  const number = Number((await link.innerText()).slice(1));
  assert.ok(number > 0, `a ticket number in "${down}"`);
  await shot(agent, 'monitors-03-console-down');
  await clickAndWaitForNavigation(agent, link);
  assert.equal(pathname(agent), `/agent/tickets/${number}`);
  const page = await agent.locator('main').innerText();
  assert.match(page, new RegExp(`${name} no responde`));
  await check(agent);
  await shot(agent, 'monitors-04-ticket');

  // 4. The site comes back: the ticket is resolved by itself.
  portal = await site(port);
  await agent.goto(`/agent/monitors`);
  await waitForText(agent, row, T.up, 'the monitor to see the site back');
  await agent.goto(`/agent/tickets/${number}`);
  await waitForText(agent, agent.locator('main'), 'Resuelta', 'the ticket to be resolved');
  await shot(agent, 'monitors-05-ticket-resolved');

  // 5. The Cámara's manager sees the service and the incident on the status page.
  const manager = await newPage(await env.newContext(), t);
  await signIn(manager, USERS.manager);
  await manager.goto('/status');
  assert.match(pathname(manager), /^\/status\/[a-z0-9-]+$/);
  assert.equal(await h1(manager), CAMARA);
  const status = await manager.locator('main').innerText();
  assert.match(status, new RegExp(name));
  assert.doesNotMatch(status, new RegExp(`#${number}\\b`), 'clients see no ticket links there');
  await check(manager);
  await shot(manager, 'monitors-06-status-page');
  await stop(portal);
});
