// The language: Spanish by default, English from Accept-Language on a first visit, and the
// header's switch, which persists across pages before and after sign-in (and on the account).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, signIn, signOut, switchLanguage, shot, a11yCheck, h1, USERS } from './harness.mjs';

const env = setup();

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);

test('Spanish is the default on the sign-in page', async (t) => {
  const context = await env.newContext({ locale: 'es-CO' });
  const page = await newPage(context, t);
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await htmlLang(page), 'es');
  await page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
  await page.getByLabel('Correo electrónico').waitFor();
  await page.getByLabel('Contraseña').waitFor();
  await page.getByRole('button', { name: 'Ingresar' }).waitFor();
  await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Español', exact: true }).getAttribute('aria-pressed'), 'true');
  await a11yCheck(page);
  await shot(page, 'language-login-es');
});

test('Accept-Language en gives English on a first visit', async (t) => {
  const context = await env.newContext({ locale: 'en-US' });
  const page = await newPage(context, t);
  await page.goto('/login');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await h1(page), 'Sign in');
  await page.getByLabel('E-mail').waitFor();
  await page.getByLabel('Password').waitFor();
  await page.getByRole('link', { name: 'Forgot your password?' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'English', exact: true }).getAttribute('aria-pressed'), 'true');
  await a11yCheck(page);
  await shot(page, 'language-login-accept-language-en');
});

test('the switch on the sign-in page persists across pages', async (t) => {
  const context = await env.newContext({ locale: 'es-CO' });
  const page = await newPage(context, t);
  await page.goto('/login');
  assert.equal(await htmlLang(page), 'es');

  await switchLanguage(page, 'en');
  assert.equal(new URL(page.url()).pathname, '/login', 'the switch brings you back to the same page');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await h1(page), 'Sign in');
  await shot(page, 'language-login-switched-en');

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/forgot');
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await h1(page), 'Reset your password');
  await a11yCheck(page);
  await shot(page, 'language-forgot-en');

  await page.reload();
  assert.equal(await htmlLang(page), 'en', 'the choice survives a reload');

  await switchLanguage(page, 'es');
  assert.equal(await htmlLang(page), 'es');
  assert.equal(await h1(page), 'Restablecer contraseña');
  await page.getByRole('link', { name: 'Volver a iniciar sesión' }).click();
  await page.waitForURL('**/login');
  assert.equal(await h1(page), 'Iniciar sesión');
});

test('after sign-in the switch persists across pages and on the account', async (t) => {
  const context = await env.newContext({ locale: 'es-CO' });
  const page = await newPage(context, t);
  await signIn(page, USERS.requester);
  assert.equal(new URL(page.url()).pathname, '/portal');
  assert.equal(await htmlLang(page), 'es');
  const nav = page.getByRole('navigation', { name: 'Navegación principal' });
  await nav.getByRole('link', { name: 'Mis solicitudes' }).waitFor();

  await switchLanguage(page, 'en');
  assert.equal(new URL(page.url()).pathname, '/portal');
  assert.equal(await htmlLang(page), 'en');
  const navEn = page.getByRole('navigation', { name: 'Main navigation' });
  await navEn.getByRole('link', { name: 'My requests' }).waitFor();
  await shot(page, 'language-portal-en');

  // Through the navigation to other pages: still English.
  await navEn.getByRole('link', { name: 'New request' }).click();
  await page.waitForURL('**/portal/new');
  assert.equal(await htmlLang(page), 'en');
  await page.getByLabel('Subject').waitFor();
  await navEn.getByRole('link', { name: 'Our support scope' }).click();
  await page.waitForURL('**/portal/alcance');
  assert.equal(await htmlLang(page), 'en');
  await a11yCheck(page);

  // The choice is kept on the account: a new browser (Spanish Accept-Language) gets English
  // after signing in.
  await signOut(page);
  const other = await env.newContext({ locale: 'es-CO' });
  const again = await newPage(other, t);
  await signIn(again, USERS.requester);
  assert.equal(await htmlLang(again), 'en', 'the language chosen while signed in is remembered on the account');
  await again.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My requests' }).waitFor();

  // And back to Spanish.
  await switchLanguage(again, 'es');
  assert.equal(await htmlLang(again), 'es');
  await again.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Mis solicitudes' }).waitFor();
  await again.reload();
  assert.equal(await htmlLang(again), 'es');
});

test('an agent switches language in the console', async (t) => {
  const context = await env.newContext({ locale: 'es-CO' });
  const page = await newPage(context, t);
  await signIn(page, USERS.agent);
  assert.equal(new URL(page.url()).pathname, '/agent');
  assert.equal(await htmlLang(page), 'es');
  await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Bandeja' }).waitFor();
  await switchLanguage(page, 'en');
  assert.equal(await htmlLang(page), 'en');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Queue' }).waitFor();
  await shot(page, 'language-agent-queue-en');
  await page.reload();
  assert.equal(await htmlLang(page), 'en');
  await switchLanguage(page, 'es');
  assert.equal(await htmlLang(page), 'es');
});
