// Steps the flows around a not-covered request share (not-covered, quotes, hours): a requester
// files a request, an agent classifies it, the client answers the scope box. Each step finds
// its controls by their Spanish labels and waits until the server has answered.

import assert from 'node:assert/strict';
import { signIn, clickAndWaitForNavigation, a11yCheck, textCheck, h1, USERS } from './harness.mjs';

/** The texts the steps read (crates/alcance-web/locales/es). */
export const STEP_TEXTS = {
  newRequest: 'Nueva solicitud',
  subject: 'Asunto',
  body: 'Descripción',
  send: 'Enviar solicitud',
  category: 'Categoría',
  classify: 'Clasificar',
  classified: 'Caso clasificado.',
  submitDecision: 'Enviar mi decisión',
};
const T = STEP_TEXTS;

/** The path of the page's address. */
export const pathname = (page) => new URL(page.url()).pathname;

/** The page is in Spanish, passes the accessibility smoke check and shows no untranslated text. */
export async function check(page) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  await a11yCheck(page);
  await textCheck(page);
}

/** Signs `page` in as the requester and files a request from /portal/new; returns its number. */
export async function fileRequest(page, subject, body) {
  await signIn(page, USERS.requester);
  await page.goto('/portal/new');
  assert.equal(await h1(page), T.newRequest);
  await page.getByLabel(T.subject, { exact: true }).fill(subject);
  await page.getByLabel(T.body, { exact: true }).fill(body);
  await clickAndWaitForNavigation(page, page.getByRole('button', { name: T.send, exact: true }));
  const match = pathname(page).match(/^\/portal\/tickets\/(\d+)$/);
  assert.ok(match, `on the request page, not ${page.url()}`);
  return Number(match[1]);
}

/** Signs `page` in as the agent and classifies request `number` in `category` (a select value). */
export async function classify(page, number, category) {
  await signIn(page, USERS.agent);
  await page.goto(`/agent/tickets/${number}`);
  await page.getByLabel(T.category, { exact: true }).selectOption(category);
  await clickAndWaitForNavigation(page, page.getByRole('button', { name: T.classify, exact: true }));
  await page.getByRole('status').filter({ hasText: T.classified }).waitFor();
}

/** Answers the scope box of request `number` (`page` is its requester's): the radio `choice`. */
export async function decide(page, number, choice) {
  await page.goto(`/portal/tickets/${number}`);
  const box = page.locator('section.portal-scope-box');
  await box.getByRole('radio', { name: choice }).check();
  await clickAndWaitForNavigation(page, box.getByRole('button', { name: T.submitDecision, exact: true }));
  assert.equal(pathname(page), `/portal/tickets/${number}`);
}
