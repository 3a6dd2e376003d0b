// Quotes, from a request for new work to accepted work: the requester asks for a new module;
// an agent classifies it as a new feature (not covered); the requester asks for a quote; the
// agent drafts one with an hours line and a fixed line, checks the totals and sends it; the
// manager sees it on the request page with the total in Colombian format and accepts it; the
// request is then "En curso". Screenshots at each step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, signIn, clickAndWaitForNavigation, shot, h1, USERS } from './harness.mjs';
import { pathname, check, fileRequest, classify, decide } from './steps.mjs';

const env = setup();

/** The texts the flow reads (crates/alcance-web/locales/es and policy/default.toml). */
const T = {
  quote: 'Solicitar una cotización (proyecto independiente)',
  panel: 'Cotizaciones',
  newQuote: 'Nueva cotización',
  saveDraft: 'Guardar borrador',
  created: 'Borrador creado. Revise el total y envíelo al cliente.',
  sendToClient: 'Enviar al cliente',
  sent: 'Cotización enviada al cliente.',
  statusSent: 'enviada',
  accept: 'Aceptar la cotización',
  payWithHours: 'Pagar con horas de nuestro paquete',
  accepted: 'Aceptó la cotización. El trabajo está en curso.',
  inProgress: 'En curso',
  managerDecides: 'El gerente de su organización decide si acepta esta cotización.',
};

// 12 h x $ 180.000 (the demo contract's rate) + $ 1.500.000 fixed = $ 3.660.000; IVA 19 % = $ 695.400.
const TOTALS = { subtotal: '$ 3.660.000', tax: '$ 695.400', total: '$ 4.355.400' };

test('a quote, from a request for new work to accepted work', async (t) => {
  const client = await newPage(await env.newContext(), t);
  const agent = await newPage(await env.newContext(), t);
  const manager = await newPage(await env.newContext(), t);
  const run = Date.now().toString(36).slice(-5);
  const subject = `Módulo de reservas de salones en línea (${run})`;

  // 1. The requester asks for new work.
  const number = await fileRequest(
    client,
    subject,
    'Queremos un módulo nuevo para que los afiliados reserven los salones de la Cámara desde el portal y paguen en línea.',
  );

  // 2. The agent classifies it as a new feature (not covered).
  await classify(agent, number, 'new_feature');

  // 3. The requester asks for a quote.
  await decide(client, number, T.quote);
  await client.locator('.portal-badges .badge', { hasText: 'Cotización solicitada' }).waitFor();

  // 4. The agent drafts a quote with two lines from the ticket's "Cotizaciones" panel.
  await agent.goto(`/agent/tickets/${number}`);
  const panel = agent.locator('section.quotes-panel');
  await panel.getByRole('heading', { name: T.panel }).waitFor();
  await clickAndWaitForNavigation(agent, panel.getByRole('link', { name: T.newQuote, exact: true }));
  assert.equal(pathname(agent), `/agent/tickets/${number}/quotes/new`);
  assert.equal(await h1(agent), T.newQuote);
  assert.equal(await agent.locator('#quote-title').inputValue(), subject, 'the title is the subject');
  assert.equal(await agent.locator('#line-0-rate').inputValue(), '$ 180.000', 'the contract rate');
  assert.ok((await agent.locator('fieldset.quote-line').count()) >= 5, 'at least five rows without JavaScript');
  await check(agent);
  await agent.locator('#line-0-description').fill('Desarrollo del módulo de reservas');
  await agent.locator('#line-0-hours').fill('12');
  await agent.locator('#line-1-description').fill('Pasarela de pagos: configuración');
  await agent.locator('#line-1-amount').fill('1.500.000');
  await shot(agent, 'quotes-01-agent-draft-form');
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: T.saveDraft, exact: true }));
  const quoteMatch = pathname(agent).match(/^\/agent\/quotes\/(Q-\d{4}-\d{4,})$/);
  assert.ok(quoteMatch, `on the quote page, not ${agent.url()}`);
  const quote = quoteMatch[1];
  await agent.getByRole('status').filter({ hasText: T.created }).waitFor();
  const preview = agent.locator('section.quote-preview');
  assert.equal((await preview.locator('tr.quote-subtotal td').innerText()).trim(), TOTALS.subtotal);
  assert.equal((await preview.locator('tr.quote-tax td').innerText()).trim(), TOTALS.tax);
  assert.equal((await preview.locator('tr.quote-total td').innerText()).trim(), TOTALS.total);
  await check(agent);
  await shot(agent, 'quotes-02-agent-preview');

  // 5. Sent to the client.
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: T.sendToClient, exact: true }));
  await agent.getByRole('status').filter({ hasText: T.sent }).waitFor();
  await agent.locator('.badge.quote-status', { hasText: T.statusSent }).waitFor();
  await agent.goto(`/agent/tickets/${number}`);
  await agent.locator('section.quotes-panel').getByRole('link', { name: quote }).waitFor();
  await agent.locator('.timeline').getByText(`cotización ${quote} enviada`).first().waitFor();
  await shot(agent, 'quotes-03-agent-ticket-panel');

  // 6. The requester reads it; the manager decides.
  await client.goto(`/portal/tickets/${number}`);
  const clientCard = client.locator('section.portal-quote');
  await clientCard.getByText(T.managerDecides).waitFor();
  assert.equal(await clientCard.getByRole('button', { name: T.accept }).count(), 0, 'read-only for requesters');

  await signIn(manager, USERS.manager);
  await manager.goto(`/portal/tickets/${number}`);
  const card = manager.locator('section.portal-quote');
  await card.getByRole('heading', { name: `Cotización ${quote}` }).waitFor();
  assert.equal((await card.locator('tr.quote-total td').innerText()).trim(), TOTALS.total);
  assert.match(await card.innerText(), /Desarrollo del módulo de reservas/);
  assert.match(await card.innerText(), /\$ 1\.500\.000/);
  await card.getByRole('checkbox', { name: T.payWithHours }).waitFor();
  await card.getByRole('link', { name: 'Descargar PDF' }).waitFor();
  await check(manager);
  await shot(manager, 'quotes-04-manager-sees-quote');
  await clickAndWaitForNavigation(manager, card.getByRole('button', { name: T.accept, exact: true }));
  await manager.getByRole('status').filter({ hasText: T.accepted }).waitFor();
  await manager.locator('.portal-badges .badge', { hasText: T.inProgress }).first().waitFor();
  await check(manager);
  await shot(manager, 'quotes-05-manager-accepted');

  // 7. The requester sees the work in progress.
  await client.goto(`/portal/tickets/${number}`);
  await client.locator('.portal-badges .badge', { hasText: T.inProgress }).first().waitFor();
});
