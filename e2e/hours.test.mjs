// Prepaid hours, from a request for new work to the manager's balance: a requester asks for a
// new module; an agent classifies it "Desarrollo de nuevas funcionalidades o módulos" (not
// covered); the requester chooses "Usar horas de mi paquete"; the agent logs 2 h on the
// ticket's time page; the manager of the Cámara (40 h in the demo data) sees 38 h on
// /portal/hours and the movement linked to the request. Screenshots at each step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, signIn, clickAndWaitForNavigation, shot, fitsWidth, h1, USERS, PHONE } from './harness.mjs';
import { pathname, check, fileRequest, classify, decide } from './steps.mjs';

const env = setup();

/** The texts the flow reads (crates/alcance-web/locales/es and policy/default.toml). */
const T = {
  hours: 'Usar horas de mi paquete',
  timeTitle: (n) => `Tiempo registrado en #${n}`,
  duration: 'Duración',
  note: 'Nota (opcional)',
  logTime: 'Registrar tiempo',
  logged: 'Tiempo registrado.',
  billedHours: 'Horas del paquete',
  hoursNav: 'Horas',
  hoursTitle: 'Horas prepagadas',
  consumption: 'Consumo',
};

test('work paid with prepaid hours shows in the manager\'s balance', async (t) => {
  const client = await newPage(await env.newContext(), t);
  const agent = await newPage(await env.newContext(), t);
  const run = Date.now().toString(36).slice(-5);
  const subject = `Necesitamos un módulo nuevo de reservas de salones (${run})`;

  // 1. The requester asks for new work.
  const number = await fileRequest(
    client,
    subject,
    'Queremos que los afiliados reserven los salones de la Cámara desde el portal, con calendario y confirmación por correo. Es un módulo nuevo.',
  );

  // 2. The agent classifies it as a new feature: not covered.
  await classify(agent, number, 'new_feature');
  await shot(agent, 'hours-01-agent-classified');

  // 3. The requester pays with hours.
  await decide(client, number, T.hours);
  await shot(client, 'hours-02-client-chose-hours');

  // 4. The agent logs 2 h on the ticket's time page, which shows the balance.
  await agent.goto(`/agent/tickets/${number}/time`);
  assert.equal(await h1(agent), T.timeTitle(number));
  assert.match(await agent.locator('.hours-ticket-balance').innerText(), /40 h/);
  await agent.getByLabel(T.duration, { exact: true }).fill('2');
  await agent.getByLabel(T.note, { exact: true }).fill('Modelo de datos y calendario de reservas');
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: T.logTime, exact: true }));
  assert.equal(pathname(agent), `/agent/tickets/${number}/time`);
  await agent.getByRole('status').filter({ hasText: T.logged }).waitFor();
  const row = agent.locator('table.hours-time tbody tr').first();
  assert.match(await row.innerText(), /2 h/);
  assert.match(await row.innerText(), new RegExp(T.billedHours));
  assert.match(await agent.locator('.hours-ticket-balance').innerText(), /38 h/);
  await check(agent);
  await shot(agent, 'hours-03-agent-logged-time');

  // 5. The manager sees 38 h and the movement linked to the request.
  const manager = await newPage(await env.newContext(), t);
  await signIn(manager, USERS.manager);
  await manager.getByRole('navigation').getByRole('link', { name: T.hoursNav, exact: true }).click();
  await manager.waitForURL('**/portal/hours');
  assert.equal(await h1(manager), T.hoursTitle);
  assert.equal((await manager.locator('#hours-available').innerText()).trim(), '38 h');
  const movement = manager.locator('table.hours-movements tr', { has: manager.getByRole('link', { name: `#${number}`, exact: true }) });
  await movement.waitFor();
  const text = await movement.innerText();
  assert.match(text, new RegExp(T.consumption));
  assert.match(text, /-2 h/);
  await check(manager);
  await shot(manager, 'hours-04-manager-balance');
  await clickAndWaitForNavigation(manager, movement.getByRole('link', { name: `#${number}`, exact: true }));
  assert.equal(pathname(manager), `/portal/tickets/${number}`);

  // The statement downloads as CSV with the movement.
  const d = new Date();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota' }).format(d);
  const csv = await manager.request.get(`/portal/hours/statement.csv?from=${today}&to=${today}`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), new RegExp(`#${number},-2\\.00`));

  // On a phone the balance page fits the screen.
  const phone = await newPage(await env.newContext({ viewport: PHONE }), t);
  await signIn(phone, USERS.manager);
  await phone.goto('/portal/hours');
  await fitsWidth(phone);
  await shot(phone, 'hours-05-phone-balance');
});
