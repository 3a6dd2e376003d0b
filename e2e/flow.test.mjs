// The main flow, as people do it: a client opens a request with an attachment; an agent finds
// it in "Sin clasificar", classifies it as covered, replies and starts work; the client sees the
// reply, the status and the coverage. First in Spanish, then again in English after switching
// language with the header's switch. Screenshots at each step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  setup,
  newPage,
  signIn,
  switchLanguage,
  clickAndWaitForNavigation,
  shot,
  a11yCheck,
  textCheck,
  h1,
  pngBuffer,
  USERS,
} from './harness.mjs';

const env = setup();

/** The interface texts the flow reads (crates/alcance-web/locales and policy/default.toml). */
const TEXT = {
  es: {
    nav: 'Navegación principal',
    myRequests: 'Mis solicitudes',
    newRequest: 'Nueva solicitud',
    subject: 'Asunto',
    body: 'Descripción',
    asset: '¿Sobre qué sistema es?',
    files: 'Archivos adjuntos (opcional)',
    preview: 'Vista previa',
    send: 'Enviar solicitud',
    created: (n) => `Recibimos su solicitud #${n}.`,
    requestNumber: (n) => `Solicitud #${n}`,
    statusNew: 'Nueva',
    pending: 'Sin clasificar',
    queueTitle: 'Bandeja de casos',
    views: 'Vistas guardadas',
    unclassified: 'Sin clasificar',
    ticketNumber: (n) => `Caso #${n}`,
    category: 'Categoría',
    bugFix: 'Corrección de errores o fallas',
    classify: 'Clasificar',
    classified: 'Caso clasificado.',
    publicReply: 'Respuesta pública',
    message: 'Mensaje',
    sendReply: 'Enviar respuesta',
    replied: 'Respuesta enviada al cliente.',
    moveTo: 'Pasar a',
    inProgress: 'En curso',
    changeStatus: 'Cambiar estado',
    statusChanged: 'Estado actualizado.',
    covered: 'Cubierta',
    team: 'Equipo de soporte',
    subjectText: 'El botón «Descargar certificado» no responde',
    bodyText: '**Pasos:**\n\n1. Entrar a certificados\n2. Dar clic en *Descargar*\n\nNo pasa nada y no descarga el PDF.',
    replyText: 'Hola Yuliana: ya encontramos la causa del problema con la descarga y lo estamos corrigiendo.',
  },
  en: {
    nav: 'Main navigation',
    myRequests: 'My requests',
    newRequest: 'New request',
    subject: 'Subject',
    body: 'Description',
    asset: 'Which system is it about?',
    files: 'Attachments (optional)',
    preview: 'Preview',
    send: 'Send request',
    created: (n) => `We received your request #${n}.`,
    requestNumber: (n) => `Request #${n}`,
    statusNew: 'New',
    pending: 'Unclassified',
    queueTitle: 'Ticket queue',
    views: 'Saved views',
    unclassified: 'Unclassified',
    ticketNumber: (n) => `Ticket #${n}`,
    category: 'Category',
    bugFix: 'Bug fixes',
    classify: 'Classify',
    classified: 'Ticket classified.',
    publicReply: 'Public reply',
    message: 'Message',
    sendReply: 'Send reply',
    replied: 'Reply sent to the client.',
    moveTo: 'Move to',
    inProgress: 'In progress',
    changeStatus: 'Change status',
    statusChanged: 'Status updated.',
    covered: 'Covered',
    team: 'Support team',
    subjectText: 'The "Download certificate" button does nothing',
    bodyText: '**Steps:**\n\n1. Open certificates\n2. Click *Download*\n\nNothing happens and no PDF is downloaded.',
    replyText: 'Hello Yuliana, we found what breaks the download and are fixing it now.',
  },
};

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const pathname = (page) => new URL(page.url()).pathname;

/** Checks a page the way every step does: accessible, translated, in the right language. */
async function check(page, lang) {
  assert.equal(await htmlLang(page), lang);
  await a11yCheck(page);
  await textCheck(page);
}

/** The whole flow in one language; `prefix` names the screenshots. */
async function flow(t, lang, client, agent) {
  const T = TEXT[lang];
  const run = Date.now().toString(36).slice(-5);
  const subject = `${T.subjectText} (${run})`;
  const prefix = `flow-${lang}`;

  // 1. The client opens "Nueva solicitud" from the navigation.
  const nav = client.getByRole('navigation', { name: T.nav });
  await clickAndWaitForNavigation(client, nav.getByRole('link', { name: T.newRequest, exact: true }));
  assert.equal(pathname(client), '/portal/new');
  assert.equal(await h1(client), T.newRequest);
  await check(client, lang);

  await client.getByLabel(T.subject, { exact: true }).fill(subject);
  await client.getByLabel(T.body, { exact: true }).fill(T.bodyText);
  // The Markdown preview (htmx) shows the rendered text.
  await client.getByRole('button', { name: T.preview, exact: true }).click();
  await client.locator('#body-preview strong').first().waitFor();
  assert.match(await client.locator('#body-preview').innerText(), lang === 'es' ? /Pasos:/ : /Steps:/);
  assert.equal(await client.locator('#body-preview em').first().innerText(), lang === 'es' ? 'Descargar' : 'Download');
  await client.getByLabel(T.asset).selectOption({ label: 'Sistema de certificados y afiliados' });
  // The attachment, through the file picker.
  await client.getByLabel(T.files, { exact: true }).setInputFiles({
    name: 'captura-certificados.png',
    mimeType: 'image/png',
    buffer: pngBuffer(),
  });
  await client.locator('[data-file-list] li', { hasText: 'captura-certificados.png' }).waitFor();
  await shot(client, `${prefix}-01-client-new-request`);

  await clickAndWaitForNavigation(client, client.getByRole('button', { name: T.send, exact: true }));
  const match = pathname(client).match(/^\/portal\/tickets\/(\d+)$/);
  assert.ok(match, `after sending, the client is on the request page, not ${client.url()}`);
  const number = Number(match[1]);

  // 2. The confirmation and the request number.
  const confirmation = client.getByRole('status').filter({ hasText: T.created(number) });
  await confirmation.waitFor();
  await client.getByText(T.requestNumber(number), { exact: true }).waitFor();
  assert.equal(await h1(client), subject);
  await client.locator('.badge', { hasText: T.statusNew }).first().waitFor();
  await client.locator('.badge', { hasText: T.pending }).first().waitFor();
  await client.locator('.md strong', { hasText: lang === 'es' ? 'Pasos:' : 'Steps:' }).first().waitFor();
  // The attachment downloads as a file (Content-Disposition: attachment), byte for byte.
  const [download] = await Promise.all([
    client.waitForEvent('download'),
    client.getByRole('link', { name: 'captura-certificados.png' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'captura-certificados.png');
  assert.deepEqual(await readFile(await download.path()), pngBuffer());
  assert.equal(pathname(client), `/portal/tickets/${number}`, 'downloading does not leave the page');
  await check(client, lang);
  await shot(client, `${prefix}-02-client-request-sent`);

  // 3. The agent finds it in "Sin clasificar".
  await agent.goto('/agent');
  assert.equal(await h1(agent), T.queueTitle);
  await clickAndWaitForNavigation(
    agent,
    agent.getByRole('navigation', { name: T.views }).getByRole('link', { name: T.unclassified, exact: true }),
  );
  assert.equal(
    await agent.getByRole('navigation', { name: T.views }).getByRole('link', { name: T.unclassified, exact: true }).getAttribute('aria-current'),
    'page',
  );
  const row = agent.locator('tr[data-queue-row]', { has: agent.getByRole('link', { name: subject, exact: true }) });
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`#${number}\\b`));
  assert.match(await row.innerText(), new RegExp(T.pending));
  await check(agent, lang);
  await shot(agent, `${prefix}-03-agent-unclassified`);

  await clickAndWaitForNavigation(agent, row.getByRole('link', { name: subject, exact: true }));
  assert.equal(pathname(agent), `/agent/tickets/${number}`);
  assert.equal(await h1(agent), subject);
  await agent.getByText(T.ticketNumber(number), { exact: true }).waitFor();
  await agent.getByText('Yuliana Arango').first().waitFor();
  await agent.getByText('captura-certificados.png').first().waitFor();
  await check(agent, lang);
  await shot(agent, `${prefix}-04-agent-ticket`);

  // 4. Classify as a covered bug fix.
  const category = agent.getByLabel(T.category, { exact: true });
  assert.equal((await category.locator('option[value="bug_fix"]').innerText()).trim(), T.bugFix);
  await category.selectOption('bug_fix');
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: T.classify, exact: true }));
  await agent.getByRole('status').filter({ hasText: T.classified }).waitFor();
  await agent.locator('.ticket-head .badge', { hasText: T.covered }).waitFor();
  assert.equal(await agent.locator('.ticket-head .badge', { hasText: T.pending }).count(), 0);
  await shot(agent, `${prefix}-05-agent-classified`);

  // 5. A public reply.
  assert.ok(await agent.getByRole('radio', { name: T.publicReply }).isChecked(), 'a public reply is the default');
  await agent.getByLabel(T.message, { exact: true }).fill(T.replyText);
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: T.sendReply, exact: true }));
  await agent.getByRole('status').filter({ hasText: T.replied }).waitFor();
  await agent.locator('.timeline').getByText(T.replyText).waitFor();

  // 6. Status "En curso".
  await agent.getByLabel(T.moveTo, { exact: true }).selectOption({ label: T.inProgress });
  await clickAndWaitForNavigation(agent, agent.getByRole('button', { name: T.changeStatus, exact: true }));
  await agent.getByRole('status').filter({ hasText: T.statusChanged }).waitFor();
  await agent.locator('.ticket-head .badge', { hasText: T.inProgress }).waitFor();
  await check(agent, lang);
  await shot(agent, `${prefix}-06-agent-replied-in-progress`);

  // 7. The client reloads the request: the reply, the new status and the coverage.
  await client.goto(`/portal/tickets/${number}`);
  assert.equal(await h1(client), subject);
  const reply = client.locator('.timeline .entry', { hasText: T.replyText });
  await reply.waitFor();
  await reply.getByText('Laura Gómez').waitFor();
  await reply.getByText(T.team).waitFor();
  await client.locator('.portal-badges .badge', { hasText: T.inProgress }).waitFor();
  await client.locator('.portal-badges .badge', { hasText: T.covered }).waitFor();
  await client.locator('dl.facts').getByText(T.bugFix).waitFor();
  await check(client, lang);
  await shot(client, `${prefix}-07-client-sees-reply`);

  // And the list says the same.
  await clickAndWaitForNavigation(client, nav.getByRole('link', { name: T.myRequests, exact: true }));
  assert.equal(await h1(client), T.myRequests);
  const listed = client.locator('tbody tr', { has: client.getByRole('link', { name: subject, exact: true }) });
  await listed.waitFor();
  assert.match(await listed.innerText(), new RegExp(`${T.inProgress}[\\s\\S]*${T.covered}`));
  await shot(client, `${prefix}-08-client-list`);
  return number;
}

test('the main flow in Spanish, then in English', async (t) => {
  const clientContext = await env.newContext({ locale: 'es-CO' });
  const agentContext = await env.newContext({ locale: 'es-CO' });
  const client = await newPage(clientContext, t);
  const agent = await newPage(agentContext, t);

  await signIn(client, USERS.requester);
  assert.equal(pathname(client), '/portal');
  assert.equal(await h1(client), 'Mis solicitudes');
  await check(client, 'es');
  await shot(client, 'flow-es-00-client-home');
  await signIn(agent, USERS.agent);
  assert.equal(pathname(agent), '/agent');
  await check(agent, 'es');

  await t.test('en español', async (st) => {
    await flow(st, 'es', client, agent);
  });

  await t.test('in English, after the header switch', async (st) => {
    // Both switch with the header's button: <html lang> becomes en and the texts change.
    await switchLanguage(client, 'en');
    assert.equal(await htmlLang(client), 'en');
    assert.equal(await h1(client), 'My requests');
    await client.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My requests' }).waitFor();
    await switchLanguage(agent, 'en');
    assert.equal(await htmlLang(agent), 'en');
    await flow(st, 'en', client, agent);
  });
});
