// Signing in and out, and a forgotten password: the single-use link goes through the e-mail
// outbox, which the admin can read until SMTP exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, signIn, signOut, clickAndWaitForNavigation, shot, a11yCheck, h1, USERS } from './harness.mjs';

const env = setup();

test('a wrong password is refused with a clear message; signing out ends the session', async (t) => {
  const page = await newPage(await env.newContext(), t);
  page.allowStatus('/login', 401);
  await page.goto('/login');
  await page.getByLabel('Correo electrónico').fill(USERS.requester);
  await page.getByLabel('Contraseña').fill('no-es-la-clave');
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Ingresar' }).click(),
  ]);
  assert.equal(response.status(), 401);
  await page.getByRole('alert').filter({ hasText: 'Correo o contraseña incorrectos.' }).waitFor();
  assert.equal(await page.getByLabel('Correo electrónico').inputValue(), USERS.requester, 'the e-mail is kept');
  await a11yCheck(page);
  await shot(page, 'account-login-failed');

  await signIn(page, USERS.requester);
  assert.equal(new URL(page.url()).pathname, '/portal');
  await signOut(page);
  await page.getByRole('status').filter({ hasText: 'Cerró sesión correctamente.' }).waitFor();
  await page.goto('/portal/new');
  const after = new URL(page.url());
  assert.equal(after.pathname, '/login', 'signed out, a portal page asks to sign in');
  assert.equal(after.searchParams.get('next'), '/portal/new');
  // …and brings the person back after signing in.
  await page.getByLabel('Correo electrónico').fill(USERS.requester);
  await page.getByLabel('Contraseña').fill('alcance-demo-2026');
  await clickAndWaitForNavigation(page, page.getByRole('button', { name: 'Ingresar' }));
  assert.equal(new URL(page.url()).pathname, '/portal/new');
});

test('a forgotten password: the link from the outbox works once', async (t) => {
  const who = USERS.requester2;
  const person = await newPage(await env.newContext(), t);
  await person.goto('/login');
  await clickAndWaitForNavigation(person, person.getByRole('link', { name: '¿Olvidó su contraseña?' }));
  assert.equal(await h1(person), 'Restablecer contraseña');
  await person.getByLabel('Correo electrónico').fill(who);
  await clickAndWaitForNavigation(person, person.getByRole('button', { name: 'Enviar enlace' }));
  await person.getByRole('status').filter({ hasText: 'Si el correo pertenece a una cuenta activa' }).waitFor();
  await a11yCheck(person);
  await shot(person, 'account-forgot-sent');

  // The admin reads the message in the outbox.
  const admin = await newPage(await env.newContext(), t);
  await signIn(admin, USERS.admin);
  await admin.goto('/admin/outbox');
  const mail = admin.locator('article', { hasText: who }).filter({ hasText: 'Restablecer su contraseña' }).first();
  await mail.waitFor();
  await mail.locator('summary').click();
  const body = await mail.locator('.admin-mail-body').innerText();
  const link = body.match(/https?:\/\/\S+\/reset\/[A-Za-z0-9_]+/);
  assert.ok(link, `the message has a reset link:\n${body}`);
  await a11yCheck(admin);
  await shot(admin, 'account-outbox');

  const url = new URL(link[0]);
  assert.equal(url.origin, env.baseURL, 'the link points at this server');
  await person.goto(url.pathname);
  assert.equal(await h1(person), 'Crear contraseña nueva');
  await a11yCheck(person);
  const fresh = 'una clave nueva y larga 2026';
  await person.getByLabel('Contraseña nueva').fill(fresh);
  await clickAndWaitForNavigation(person, person.getByRole('button', { name: 'Guardar contraseña' }));
  assert.equal(new URL(person.url()).pathname, '/login');
  await person.getByRole('status').filter({ hasText: 'Su contraseña cambió. Ya puede iniciar sesión.' }).waitFor();

  await signIn(person, who, fresh);
  assert.equal(new URL(person.url()).pathname, '/portal');
  await signOut(person);

  // The link works once.
  await person.goto(url.pathname);
  await person.getByRole('alert').filter({ hasText: 'Este enlace ya se usó o venció.' }).waitFor();
  await shot(person, 'account-reset-link-used');
});
