// Isolation between organisations: a client who types the URL of a request they may not see
// gets the same "not found" page as for a request that does not exist (status 404, translated
// heading), never the request; the agent console and admin are not found for clients.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, signIn, switchLanguage, shot, a11yCheck, h1, USERS } from './harness.mjs';

const env = setup();

/** The request numbers listed on a contact's /portal (all statuses), with their requester. */
async function portalRows(page) {
  await page.goto('/portal?status=all');
  const rows = await page.locator('table.portal-requests tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const link = tr.querySelector('a[href^="/portal/tickets/"]');
      return {
        number: link ? Number(link.getAttribute('href').split('/').pop()) : null,
        subject: link ? link.textContent.trim() : null,
        text: tr.textContent.replace(/\s+/g, ' ').trim(),
      };
    }),
  );
  return rows.filter((r) => Number.isInteger(r.number));
}

/** Visits `url` expecting the not-found page in Spanish. */
async function expectNotFound(page, url, screenshot) {
  page.allowStatus(new URL(url, env.baseURL).pathname, 404);
  const response = await page.goto(url);
  assert.equal(response.status(), 404, `${url} should be not found, got ${response.status()}`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  assert.equal(await h1(page), 'No encontrado');
  await page.getByText('La página o la solicitud no existe, o no tiene acceso a ella.').waitFor();
  const body = await page.locator('main').innerText();
  return body;
}

test("a client cannot open another organisation's request, nor the agent console", async (t) => {
  // Another organisation's requests, read by its own manager.
  const semillas = await newPage(await env.newContext(), t);
  await signIn(semillas, USERS.semillasManager);
  const semillasRows = await portalRows(semillas);
  assert.ok(semillasRows.length > 0, 'the Semillas de Paz manager sees their organisation’s requests');
  const foreign = semillasRows[0];
  const own = await semillas.goto(`/portal/tickets/${foreign.number}`);
  assert.equal(own.status(), 200, 'its own manager can open it');
  await semillas.getByText(foreign.subject).first().waitFor();

  const ceiba = await newPage(await env.newContext(), t);
  await signIn(ceiba, USERS.ceibaRequester);
  const ceibaRows = await portalRows(ceiba);
  assert.ok(ceibaRows.length > 0, 'the Almacenes La Ceiba requester sees their requests');

  // The Cámara requester types those URLs.
  const page = await newPage(await env.newContext(), t);
  await signIn(page, USERS.requester);
  const mine = await portalRows(page);
  const mineNumbers = new Set(mine.map((r) => r.number));
  assert.ok(!mineNumbers.has(foreign.number), 'a foreign request is not in my list');

  const body = await expectNotFound(page, `/portal/tickets/${foreign.number}`);
  assert.ok(!body.includes(foreign.subject), 'the not-found page does not reveal the subject');
  await a11yCheck(page);
  await shot(page, 'isolation-foreign-request-not-found');

  await expectNotFound(page, `/portal/tickets/${ceibaRows[0].number}`);

  // A number that does not exist looks exactly the same.
  const missing = await expectNotFound(page, '/portal/tickets/999999');
  const foreignAgain = await expectNotFound(page, `/portal/tickets/${foreign.number}`);
  assert.equal(foreignAgain, missing, 'a foreign request and a missing one are indistinguishable');

  // The Cámara manager sees every Cámara request, but still none of another organisation.
  const manager = await newPage(await env.newContext(), t);
  await signIn(manager, USERS.manager);
  const camara = await portalRows(manager);
  assert.ok(camara.length > mine.length, 'the manager sees more than one requester’s requests');
  await expectNotFound(manager, `/portal/tickets/${foreign.number}`);

  // A requester sees only their own requests, even within the organisation.
  const colleague = camara.find((r) => !mineNumbers.has(r.number));
  assert.ok(colleague, 'a Cámara request opened by someone else');
  const seen = await manager.goto(`/portal/tickets/${colleague.number}`);
  assert.equal(seen.status(), 200);
  await expectNotFound(page, `/portal/tickets/${colleague.number}`);

  // The agent console and admin do not exist for clients.
  await expectNotFound(page, '/agent');
  await shot(page, 'isolation-agent-console-not-found');
  await expectNotFound(page, '/admin');
  await expectNotFound(manager, '/agent');
  await expectNotFound(manager, '/admin');
});

test('the not-found page is translated', async (t) => {
  const page = await newPage(await env.newContext({ locale: 'en-US' }), t);
  await signIn(page, USERS.requester);
  // The account's language (Spanish) wins over Accept-Language once signed in; switch.
  await switchLanguage(page, 'en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  page.allowStatus('/portal/tickets/999999', 404);
  const response = await page.goto('/portal/tickets/999999');
  assert.equal(response.status(), 404);
  assert.equal(await h1(page), 'Not found');
  await a11yCheck(page);
  await shot(page, 'isolation-not-found-en');
  // Leave the account in Spanish for the other files' expectations (each file has its own
  // server, so this is only tidiness).
  await switchLanguage(page, 'es');
  assert.equal(await h1(page), 'No encontrado');
});
