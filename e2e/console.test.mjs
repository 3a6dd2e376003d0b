// The agent console beyond the main flow: an internal note stays inside the agency (the client
// never sees it), two agents on the same ticket see each other (the collision hint), and the
// queue works from the keyboard (j/k, Enter, "/").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, signIn, clickAndWaitForNavigation, shot, a11yCheck, h1, USERS } from './harness.mjs';

const env = setup();

const SECOND_AGENT = 'andres.rios@igniweb.co';

/** The client opens a request through the portal form; returns its number. */
async function openRequest(page, subject) {
  await page.goto('/portal/new');
  await page.getByLabel('Asunto', { exact: true }).fill(subject);
  await page.getByLabel('Descripción', { exact: true }).fill('El listado de afiliados no carga desde esta mañana.');
  await clickAndWaitForNavigation(page, page.getByRole('button', { name: 'Enviar solicitud', exact: true }));
  const match = new URL(page.url()).pathname.match(/^\/portal\/tickets\/(\d+)$/);
  assert.ok(match, `the request was created (${page.url()})`);
  return Number(match[1]);
}

test('an internal note is visible to agents only; a public reply reaches the client', async (t) => {
  const client = await newPage(await env.newContext(), t);
  await signIn(client, USERS.requester);
  const subject = `El listado de afiliados no carga (${Date.now().toString(36).slice(-5)})`;
  const number = await openRequest(client, subject);

  const agent = await newPage(await env.newContext(), t);
  await signIn(agent, USERS.agent);
  await agent.goto(`/agent/tickets/${number}`);
  assert.equal(await h1(agent), subject);

  const note = 'Nota para el equipo: revisar primero el índice de la tabla de afiliados.';
  await agent.getByRole('radio', { name: 'Nota interna' }).check();
  await agent.getByLabel('Mensaje', { exact: true }).fill(note);
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: 'Guardar nota interna', exact: true }));
  await agent.getByRole('status').filter({ hasText: 'Nota interna guardada.' }).waitFor();
  const noteEntry = agent.locator('.timeline li', { hasText: note });
  await noteEntry.waitFor();
  await noteEntry.getByText('Nota interna', { exact: true }).waitFor();

  const reply = 'Buenos días, Yuliana: ya lo estamos revisando.';
  await agent.getByRole('radio', { name: 'Respuesta pública' }).check();
  await agent.getByLabel('Mensaje', { exact: true }).fill(reply);
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: 'Enviar respuesta', exact: true }));
  await agent.getByRole('status').filter({ hasText: 'Respuesta enviada al cliente.' }).waitFor();
  await a11yCheck(agent);
  await shot(agent, 'console-internal-note-and-reply');

  await client.goto(`/portal/tickets/${number}`);
  await client.locator('.timeline').getByText(reply).waitFor();
  const html = await client.content();
  assert.ok(!html.includes(note), 'the client never sees an internal note');
  assert.ok(!html.includes('índice de la tabla'), 'not even part of it');
  await shot(client, 'console-client-without-internal-note');
});

test('two agents on the same ticket see each other', async (t) => {
  const client = await newPage(await env.newContext(), t);
  await signIn(client, USERS.requester);
  const number = await openRequest(client, `Certificados con fecha equivocada (${Date.now().toString(36).slice(-5)})`);

  const laura = await newPage(await env.newContext(), t);
  await signIn(laura, USERS.agent);
  await laura.goto(`/agent/tickets/${number}`);
  // Let the page's first poll mark Laura as viewing.
  await laura.waitForLoadState('networkidle');

  const andres = await newPage(await env.newContext(), t);
  await signIn(andres, SECOND_AGENT);
  await andres.goto(`/agent/tickets/${number}`);
  await andres.locator('#viewers').getByText('También está viendo este caso: Laura Gómez').waitFor({ timeout: 15_000 });
  await shot(andres, 'console-collision-hint');

  // Laura's page polls every 10 s and then shows Andrés.
  await laura.locator('#viewers').getByText('También está viendo este caso: Andrés Ríos').waitFor({ timeout: 25_000 });
});

test('the queue works from the keyboard', async (t) => {
  const agent = await newPage(await env.newContext(), t);
  await signIn(agent, USERS.agent);
  await agent.goto('/agent?view=open');
  const rows = agent.locator('tr[data-queue-row]');
  assert.ok((await rows.count()) >= 2, 'the open view lists tickets');
  const firstLink = rows.nth(0).locator('a').first();
  const secondLink = rows.nth(1).locator('a').first();

  await agent.locator('h1').click();
  await agent.keyboard.press('j');
  assert.ok(await firstLink.evaluate((a) => a === document.activeElement), 'j focuses the first ticket');
  await agent.keyboard.press('j');
  assert.ok(await secondLink.evaluate((a) => a === document.activeElement), 'j again moves down');
  await agent.keyboard.press('k');
  assert.ok(await firstLink.evaluate((a) => a === document.activeElement), 'k moves up');
  await shot(agent, 'console-keyboard-focus');

  const href = await firstLink.getAttribute('href');
  const navigated = agent.waitForURL(`**${href}`);
  await agent.keyboard.press('Enter');
  await navigated;
  assert.match(new URL(agent.url()).pathname, /^\/agent\/tickets\/\d+$/);

  await agent.goBack();
  await agent.locator('h1').click();
  await agent.keyboard.press('/');
  assert.ok(
    await agent.getByLabel('Buscar', { exact: true }).evaluate((el) => el === document.activeElement),
    '/ focuses the search box',
  );
});
