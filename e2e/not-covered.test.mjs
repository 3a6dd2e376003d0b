// The "No Cubierta" flow, from the portal to the client's decision: a requester asks for a new
// module; an agent classifies it as "Desarrollo de nuevas funcionalidades o módulos" (not
// covered, policy section 2); the e-mail waits in the outbox; the requester sees the box with
// the clause in plain words, chooses "Solicitar una cotización", sees the confirmation and the
// status "Cotización solicitada"; the agent sees the decision in the history. Screenshots at
// each step, on a desktop and on a phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, newPage, signIn, clickAndWaitForNavigation, shot, fitsWidth, h1, USERS, PHONE, SCREENSHOTS } from './harness.mjs';
import { pathname, check, fileRequest, classify, STEP_TEXTS } from './steps.mjs';

const env = setup();

/** The texts the flow reads (crates/alcance-web/locales/es and policy/default.toml). */
const T = {
  category: STEP_TEXTS.category,
  newFeature: 'Desarrollo de nuevas funcionalidades o módulos',
  notCovered: 'No cubierta',
  awaiting: 'No cubierta: esperando decisión',
  boxTitle: 'Esta solicitud está fuera del alcance del soporte',
  legend: '¿Cómo desea continuar?',
  quote: 'Solicitar una cotización (proyecto independiente)',
  hours: 'Usar horas de mi paquete',
  decline: 'No deseo continuar',
  comment: 'Comentario (opcional)',
  submit: STEP_TEXTS.submitDecision,
  confirmed: (n) => `Registramos su decisión en la solicitud #${n}: pidió una cotización.`,
  recorded: 'Su decisión:',
  quoteRequested: 'Cotización solicitada',
  eventQuote: 'Decisión: solicitar una cotización (proyecto independiente).',
  agentEvent: 'El cliente eligió: cotización.',
};

test('a not-covered request, from the portal to the client\'s decision', async (t) => {
  const client = await newPage(await env.newContext(), t);
  const agent = await newPage(await env.newContext(), t);
  const run = Date.now().toString(36).slice(-5);
  const subject = `Módulo nuevo de pagos en línea con PSE (${run})`;

  // 1. The requester asks for a new module.
  const number = await fileRequest(
    client,
    subject,
    'Queremos que los afiliados puedan pagar la renovación de la matrícula en línea con PSE desde el portal. Es un módulo nuevo.',
  );
  assert.equal(await client.locator('.portal-scope-box').count(), 0, 'no scope box before classification');
  await shot(client, 'not-covered-01-client-request-sent');

  // 2. The agent classifies it as a new feature: not covered under the policy.
  await classify(agent, number, 'new_feature');
  assert.equal(await h1(agent), subject);
  const option = agent.getByLabel(T.category, { exact: true }).locator('option[value="new_feature"]');
  assert.equal((await option.innerText()).trim(), T.newFeature);
  await agent.locator('.ticket-head .badge', { hasText: T.awaiting }).waitFor();
  await check(agent);
  await shot(agent, 'not-covered-02-agent-classified');

  // 3. The requester sees the box: the clause in plain words and the choices.
  await client.goto(`/portal/tickets/${number}`);
  const box = client.locator('section.portal-scope-box');
  await box.getByRole('heading', { name: T.boxTitle }).waitFor();
  const boxText = await box.innerText();
  assert.match(boxText, new RegExp(`«${T.newFeature}»`));
  assert.match(boxText, /sección 2 de la política de soporte/);
  assert.match(boxText, /no estaban contemplados en el diseño inicial/);
  await client.locator('.portal-badges .badge', { hasText: T.awaiting }).waitFor();
  const choices = box.getByRole('group', { name: T.legend });
  await choices.getByRole('radio', { name: T.quote }).waitFor();
  await choices.getByRole('radio', { name: T.hours }).waitFor();
  await choices.getByRole('radio', { name: T.decline }).waitFor();
  await check(client);
  await shot(client, 'not-covered-03-client-sees-box');

  // On a phone the box and the form fit the screen.
  const phone = await newPage(await env.newContext({ viewport: PHONE }), t);
  await signIn(phone, USERS.requester);
  await phone.goto(`/portal/tickets/${number}`);
  await phone.getByRole('radio', { name: T.quote }).waitFor();
  await fitsWidth(phone);
  await phone.locator('section.portal-scope-box').screenshot({ path: path.join(SCREENSHOTS, 'not-covered-04-phone-box.png') });

  // 4. The requester asks for a quote, with a comment.
  await choices.getByRole('radio', { name: T.quote }).check();
  await box.getByLabel(T.comment, { exact: true }).fill('Nos gustaría tenerlo antes de la temporada de renovaciones.');
  await shot(client, 'not-covered-05-client-chooses-quote');
  await clickAndWaitForNavigation(client, box.getByRole('button', { name: T.submit, exact: true }));
  assert.equal(pathname(client), `/portal/tickets/${number}`);

  // 5. The confirmation, the status, the recorded decision, the history.
  await client.getByRole('status').filter({ hasText: T.confirmed(number) }).waitFor();
  await client.locator('.portal-badges .badge', { hasText: T.quoteRequested }).waitFor();
  const recorded = client.locator('#decision-recorded');
  await recorded.getByText(T.recorded).waitFor();
  assert.match(await recorded.innerText(), new RegExp(T.quote.replace(/[()]/g, '\\$&')));
  assert.equal(await client.getByRole('radio', { name: T.quote }).count(), 0, 'the form is gone once decided');
  await client.locator('.timeline').getByText(T.eventQuote).waitFor();
  await client.locator('.timeline').getByText('Nos gustaría tenerlo antes de la temporada de renovaciones.').waitFor();
  await check(client);
  await shot(client, 'not-covered-06-client-decided');

  // 6. The agent's history says what the client chose.
  await agent.goto(`/agent/tickets/${number}`);
  await agent.locator('.timeline').getByText(T.agentEvent).first().waitFor();
  await agent.locator('.ticket-head .badge', { hasText: T.quoteRequested }).waitFor();
  await check(agent);
  await shot(agent, 'not-covered-07-agent-sees-decision');

  // 7. The e-mail to the requester waits in the outbox, with the clause and the link.
  const admin = await newPage(await env.newContext(), t);
  await signIn(admin, USERS.admin);
  await admin.goto('/admin/outbox');
  const mail = admin.locator('article', {
    has: admin.getByRole('heading', { name: `Su solicitud #${number} está fuera del alcance del soporte`, exact: true }),
  });
  await mail.waitFor();
  assert.match(await mail.locator('dl').innerText(), new RegExp(USERS.requester.replace(/\./g, '\\.')));
  await mail.locator('summary').click();
  const text = await mail.locator('.admin-mail-body').innerText();
  assert.match(text, new RegExp(`«${T.newFeature}»`));
  assert.match(text, /sección 2 de la política de soporte/);
  assert.match(text, /Solicitar una cotización/);
  assert.match(text, new RegExp(`/portal/tickets/${number}\\b`));
  await mail.screenshot({ path: path.join(SCREENSHOTS, 'not-covered-08-outbox-mail.png') });
});
