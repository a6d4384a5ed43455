// End-to-end tests in a real browser (Chromium through playwright-core), with axe-core
// accessibility checks on every page visited, at a phone and a desktop viewport.
//
//   node tests/e2e/run.mjs path/to/arrimage
//
// The harness (harness.mjs) starts the server on a free port with a fresh SQLite database and
// the demo data, runs the scenarios in order, stops the server and removes its temporary
// directory, also on failure. The last line printed is "N passed, M failed"; the exit status is
// non-zero on any failure. CTest runs it as the test `e2e` (label e2e). Needs node_modules
// (scripts/install-deps) and the Debian chromium package; it never downloads a browser.

import assert from 'node:assert/strict';

import {
  accessibilityScenario, audit, baseUrl, clickAndWait, expectHeading, expectPath, goto, htmlLang, messages, scenario, squash,
  start, text,
} from './harness.mjs';

const DEMO_PASSWORD = 'demo-password-2026';
const CA_ADMIN = 'ca.admin@demo.arrimage.invalid';       // coordinating agency admin, French
const SYS_ADMIN = 'sysadmin@demo.arrimage.invalid';      // system admin, English
const COORDINATOR = 'coord1@demo.arrimage.invalid';      // coordinator, English, no admin rights
const INTAKE = 'coord.ca@demo.arrimage.invalid';         // coordinator at the coordinating agency, French
const SCHOOL_STAFF = 'staff.board2@demo.arrimage.invalid';  // school board staff, French, on no file

// The message catalogue the server embeds: the tests compare against it rather than copy text.
const { t } = messages(['en.json', 'people.en.json', 'privacy.en.json'], ['fr.json', 'people.fr.json', 'privacy.fr.json']);

// ---------------------------------------------------------------- page helpers

async function expectFlash(page, expected) {
  assert.equal(await text(page.locator('.arr-alert--success')), expected);
}

function nav(page) {
  return page.getByRole('navigation');
}

function submitButton(page, label) {
  return page.locator('main form').getByRole('button', { name: label, exact: true });
}

// Signs in through the form. The page must be on the sign-in page, in language `lang`.
async function signIn(page, lang, email, password) {
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill(password);
  return clickAndWait(page, submitButton(page, t(lang, 'login.submit')));
}

function unique() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

await start({ prefix: 'arrimage-e2e-' });

// ---------------------------------------------------------------- scenarios

scenario('a French visitor gets the French sign-in page and can switch language', async ({ track }) => {
  const page = await track('fr');
  await goto(page, '/');
  await expectPath(page, '/login');
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, t('fr', 'login.heading'));
  await audit(page, 'sign-in page, French');

  const toEnglish = nav(page).getByRole('link', { name: t('en', 'lang.self'), exact: true });
  assert.equal(await toEnglish.getAttribute('lang'), 'en');
  await clickAndWait(page, toEnglish);
  await expectPath(page, '/login');
  assert.equal(await htmlLang(page), 'en');
  await expectHeading(page, t('en', 'login.heading'));
  await audit(page, 'sign-in page, English');

  const toFrench = nav(page).getByRole('link', { name: t('fr', 'lang.self'), exact: true });
  assert.equal(await toFrench.getAttribute('lang'), 'fr');
  await clickAndWait(page, toFrench);
  await expectPath(page, '/login');
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, t('fr', 'login.heading'));
});

scenario('a wrong password shows a field error and keeps the email; the right one signs in', async ({ track }) => {
  const page = await track('fr');
  await goto(page, '/login');
  const response = await signIn(page, 'fr', CA_ADMIN, 'not-the-password');
  assert.equal(response.status(), 401);
  await expectPath(page, '/login');
  assert.equal(await htmlLang(page), 'fr');
  assert.equal(await text(page.locator('#error-password')), t('fr', 'login.invalid'));
  assert.equal(await page.locator('#field-password').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#field-password').getAttribute('aria-describedby'), /\berror-password\b/);
  assert.equal(await page.locator('#field-email').inputValue(), CA_ADMIN);
  assert.equal(await page.locator('#field-password').inputValue(), '', 'a password is never sent back');
  await expectHeading(page, t('fr', 'login.heading'));
  assert.equal(await text(page.locator('.arr-error-summary h2')), t('fr', 'form.error_summary'));
  await audit(page, 'sign-in page with a wrong password');

  await signIn(page, 'fr', CA_ADMIN, DEMO_PASSWORD);
  await expectPath(page, '/');
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, t('fr', 'home.heading'));
  assert.match(await text(page.locator('main')), new RegExp(`${t('fr', 'home.welcome')} Claude Admin-Démo`));
  await audit(page, 'home page, CA admin');
});

scenario('the CA admin adds an organisation and a site, with French validation errors', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await goto(page, '/login');
  await signIn(page, 'fr', CA_ADMIN, DEMO_PASSWORD);
  await expectPath(page, '/');

  // Administration → Organisations → Add
  await clickAndWait(page, nav(page).getByRole('link', { name: fr('nav.admin'), exact: true }));
  await expectPath(page, '/admin');
  await expectHeading(page, fr('admin.title'));
  await audit(page, 'administration page');
  // The service delivery areas, which a CA admin sees but cannot change.
  await clickAndWait(page, page.locator('main').getByRole('link', { name: fr('sda.list_title'), exact: true }));
  await expectPath(page, '/admin/sdas');
  await expectHeading(page, fr('sda.list_title'));
  assert.equal(await page.locator('main').getByRole('link', { name: fr('sda.new') }).count(), 0);
  await audit(page, 'service delivery area list');
  await page.goBack({ waitUntil: 'load' });
  await expectPath(page, '/admin');
  await clickAndWait(page, page.locator('main').getByRole('link', { name: fr('org.list_title'), exact: true }));
  await expectPath(page, '/admin/organisations');
  await expectHeading(page, fr('org.list_title'));
  await audit(page, 'organisation list');
  await clickAndWait(page, page.locator('main').getByRole('link', { name: fr('org.new'), exact: true }));
  await expectPath(page, '/admin/organisations/new');
  await expectHeading(page, fr('org.new'));
  await audit(page, 'new organisation form');

  // Empty: an error summary and one message per field, in French.
  let response = await clickAndWait(page, submitButton(page, fr('common.save')));
  assert.equal(response.status(), 422);
  assert.equal(await htmlLang(page), 'fr');
  const summary = page.locator('.arr-error-summary');
  assert.equal(await text(summary.locator('h2')), fr('form.error_summary'));
  const expected = {
    sda_id: fr('field.choose_one'),
    name_fr: fr('field.required'),
    name_en: fr('field.required'),
    sector: fr('field.choose_one'),
    csp_roles: fr('field.choose_at_least_one'),
  };
  const summaryItems = (await summary.locator('li').allInnerTexts()).map(squash);
  for (const [field, message] of Object.entries(expected)) {
    assert.equal(await text(page.locator(`#error-${field}`)), message, `error for ${field}`);
    assert.ok(summaryItems.includes(message), `summary lists "${message}": ${JSON.stringify(summaryItems)}`);
    assert.equal(await summary.locator(`a[href="#field-${field}"]`).count(), 1, `summary links to ${field}`);
    assert.equal(await page.locator(`#field-${field}`).count(), 1, `summary target #field-${field} exists`);
  }
  assert.equal(await page.locator('#field-name_fr').getAttribute('aria-invalid'), 'true');
  await audit(page, 'new organisation form with errors');

  // Filled in correctly.
  const id = unique();
  const nameFr = `Organisme d'essai ${id}`;
  const nameEn = `Test organisation ${id}`;
  const sdaOptions = page.locator('#field-sda_id option:not([value=""])');
  assert.ok(await sdaOptions.count() >= 1, 'the CA admin has a service delivery area to choose');
  await page.locator('#field-sda_id').selectOption(await sdaOptions.first().getAttribute('value'));
  await page.locator('#field-name_fr').fill(nameFr);
  await page.locator('#field-name_en').fill(nameEn);
  await page.locator('#field-sector').selectOption('health');
  await page.getByRole('checkbox', { name: fr('csp_role.csp_provider'), exact: true }).check();
  await page.getByRole('checkbox', { name: fr('org.fls_designated'), exact: true }).check();
  await page.locator('#field-email').fill(`info.${id}@example.org`);
  await page.locator('#field-phone').fill('613-555-0199');
  await page.locator('#field-website').fill('https://example.org/');
  response = await clickAndWait(page, submitButton(page, fr('common.save')));
  assert.equal(response.status(), 200);
  await expectPath(page, /^\/admin\/organisations\/\d+$/);
  const orgPath = new URL(page.url()).pathname;
  await expectHeading(page, nameFr);
  await expectFlash(page, fr('common.saved'));
  const details = await text(page.locator('.arr-details'));
  assert.match(details, /613-555-0199/);
  assert.ok(details.includes(fr('csp_role.csp_provider')), details);
  await audit(page, 'organisation page');

  await goto(page, '/admin/organisations');
  const row = page.locator('main table tbody tr', { has: page.getByRole('link', { name: nameFr, exact: true }) });
  assert.equal(await row.count(), 1, 'the new organisation is in the list');
  assert.ok((await text(row)).includes(fr('sector.health')));
  await clickAndWait(page, row.getByRole('link', { name: nameFr, exact: true }));
  await expectPath(page, orgPath);

  // A site: a bad postal code first, then a good one.
  await clickAndWait(page, page.locator('main').getByRole('link', { name: fr('site.new'), exact: true }));
  await expectPath(page, `${orgPath}/sites/new`);
  await expectHeading(page, fr('site.new'));
  await audit(page, 'new site form');
  await page.locator('#field-name_fr').fill(`Point de service ${id}`);
  await page.locator('#field-name_en').fill(`Service point ${id}`);
  await page.locator('#field-address').fill('111 rue Wellington');
  await page.locator('#field-city').fill('Ottawa');
  await page.locator('#field-postal_code').fill('12345');
  response = await clickAndWait(page, submitButton(page, fr('common.save')));
  assert.equal(response.status(), 422);
  assert.equal(await text(page.locator('#error-postal_code')), fr('field.postal_code'));
  assert.equal(await page.locator('#field-postal_code').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.arr-error-summary a[href="#field-postal_code"]').count(), 1);
  assert.equal(await page.locator('#field-name_fr').inputValue(), `Point de service ${id}`, 'values are kept');
  await audit(page, 'new site form with an error');

  await page.locator('#field-postal_code').fill('k1a0b1');
  response = await clickAndWait(page, submitButton(page, fr('common.save')));
  assert.equal(response.status(), 200);
  await expectPath(page, orgPath);
  await expectFlash(page, fr('common.saved'));
  const siteRow = page.locator('main table tbody tr', { hasText: `Point de service ${id}` });
  assert.equal(await siteRow.count(), 1, 'the new site is listed');
  assert.match(await text(siteRow), /111 rue Wellington, Ottawa K1A 0B1/);
  await audit(page, 'organisation page with a site');
});

scenario('an invited user is emailed an activation link, activates the account and signs in', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const en = (key, ...args) => t('en', key, ...args);
  const id = unique();
  const name = `Invitée Essai ${id}`;
  const email = `e2e.${id}@example.org`;

  // The CA admin (French) invites an English-speaking coordinator.
  const admin = await track('fr');
  await goto(admin, '/login');
  await signIn(admin, 'fr', CA_ADMIN, DEMO_PASSWORD);
  await clickAndWait(admin, nav(admin).getByRole('link', { name: fr('nav.admin'), exact: true }));
  await clickAndWait(admin, admin.locator('main').getByRole('link', { name: fr('user.list_title'), exact: true }));
  await expectPath(admin, '/admin/users');
  await expectHeading(admin, fr('user.list_title'));
  await audit(admin, 'user list');
  await clickAndWait(admin, admin.locator('main').getByRole('link', { name: fr('user.new'), exact: true }));
  await expectPath(admin, '/admin/users/new');
  await audit(admin, 'invite form');
  await admin.locator('#field-display_name').fill(name);
  await admin.locator('#field-email').fill(email);
  await admin.getByRole('radio', { name: t('en', 'lang.self'), exact: true }).check();
  const orgOptions = admin.locator('#field-organisation_id option:not([value=""])');
  assert.ok(await orgOptions.count() >= 1, 'the CA admin has organisations to invite into');
  const orgName = squash(await orgOptions.first().innerText());
  await admin.locator('#field-organisation_id').selectOption(await orgOptions.first().getAttribute('value'));
  await admin.locator('#field-role').selectOption('coordinator');
  const response = await clickAndWait(admin, submitButton(admin, fr('user.invite')));
  assert.equal(response.status(), 200);
  await expectPath(admin, /^\/admin\/users\/\d+$/);
  await expectHeading(admin, name);
  await expectFlash(admin, fr('user.invited'));
  const details = await text(admin.locator('.arr-details'));
  assert.ok(details.includes(email), details);
  assert.ok(details.includes(fr('user.invitation_pending')), details);
  const membership = await text(admin.locator('main table tbody'));
  assert.ok(membership.includes(fr('role.coordinator')), membership);
  assert.ok(membership.includes(orgName.replace(/ \([^)]*\)$/, '')), `${orgName} in ${membership}`);
  await audit(admin, 'user page of the invited user');

  // The system admin finds the invitation in the outbox.
  const sys = await track('en');
  await goto(sys, '/login');
  await signIn(sys, 'en', SYS_ADMIN, DEMO_PASSWORD);
  await expectPath(sys, '/');
  assert.equal(await htmlLang(sys), 'en');
  await clickAndWait(sys, nav(sys).getByRole('link', { name: en('nav.admin'), exact: true }));
  await clickAndWait(sys, sys.locator('main').getByRole('link', { name: en('outbox.title'), exact: true }));
  await expectPath(sys, '/admin/outbox');
  await expectHeading(sys, en('outbox.title'));
  const message = sys.locator('article.arr-message', { hasText: `${en('outbox.to')} ${email}` });
  assert.equal(await message.count(), 1, 'one message to the invited user');
  assert.equal(await text(message.locator('h2')), en('email.invite.subject'));
  const body = await message.locator('pre').innerText();
  assert.ok(body.includes(`${name}`), body);
  const link = /(https?:\/\/\S+)(\/invitation\/[A-Za-z0-9_-]{20,})/.exec(body);
  assert.ok(link, `an activation link in: ${body}`);
  await audit(sys, 'email outbox');

  // The link is built from --public-base-url (not the port this server got): open its path here.
  const invited = await track('en');
  await goto(invited, link[2]);
  await expectPath(invited, link[2]);
  await expectHeading(invited, en('invitation.heading'));
  await audit(invited, 'invitation page');
  await invited.locator('#field-password').fill('short');
  await invited.locator('#field-password_confirm').fill('short');
  let r = await clickAndWait(invited, submitButton(invited, en('reset.submit')));
  assert.equal(r.status(), 422);
  assert.equal(await text(invited.locator('#error-password')), en('password.too_short', 12));
  await audit(invited, 'invitation page with an error');
  const password = `Un cheval correct ${id} agrafe`;
  await invited.locator('#field-password').fill(password);
  await invited.locator('#field-password_confirm').fill(password);
  r = await clickAndWait(invited, submitButton(invited, en('reset.submit')));
  assert.equal(r.status(), 200);
  await expectPath(invited, '/login');
  await expectFlash(invited, en('invitation.done'));
  await audit(invited, 'sign-in page after activation');

  // The link works once.
  r = await goto(invited, link[2]);
  assert.equal(r.status(), 404);
  assert.ok((await text(invited.locator('main'))).includes(en('token.invalid')));

  await goto(invited, '/login');
  await signIn(invited, 'en', email, password);
  await expectPath(invited, '/');
  assert.equal(await htmlLang(invited), 'en');
  assert.match(await text(invited.locator('main')), new RegExp(`${en('home.welcome')} ${name}`));
  assert.ok((await text(invited.locator('main'))).includes(en('role.coordinator')));
  await audit(invited, 'home page of the new user');

  // The user page now shows the account as activated.
  await admin.reload({ waitUntil: 'load' });
  assert.ok(!(await text(admin.locator('.arr-details'))).includes(fr('user.invitation_pending')));
});

scenario('a coordinator without admin rights gets a 403 page on administration pages', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await goto(page, '/login');
  await signIn(page, 'en', COORDINATOR, DEMO_PASSWORD);
  await expectPath(page, '/');
  assert.equal(await nav(page).getByRole('link', { name: en('nav.admin'), exact: true }).count(), 0,
    'no Administration link');
  await audit(page, 'home page, coordinator');
  for (const p of ['/admin/users', '/admin', '/admin/outbox']) {
    const r = await goto(page, p);
    assert.equal(r.status(), 403, p);
    assert.equal(await htmlLang(page), 'en');
    await expectHeading(page, en('error.heading'));
    assert.ok((await text(page.locator('main'))).includes(en('error.forbidden')), p);
    assert.equal(await page.title(), `${en('error.title.403')} — Arrimage`);
  }
  await audit(page, '403 page');
});

scenario('signing out ends the session', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await goto(page, '/login');
  await signIn(page, 'en', COORDINATOR, DEMO_PASSWORD);
  await expectPath(page, '/');
  const [session] = (await page.context().cookies(baseUrl())).filter((c) => c.name === 'arrimage_session');
  assert.ok(session && session.value, 'a session cookie');
  assert.equal(session.httpOnly, true, 'the session cookie is HttpOnly');

  await goto(page, '/account');
  await expectPath(page, '/account');
  await audit(page, 'account page');

  await clickAndWait(page, nav(page).getByRole('button', { name: en('nav.logout'), exact: true }));
  await expectPath(page, '/login');
  await expectFlash(page, en('logout.done'));
  await audit(page, 'sign-in page after sign-out');
  await goto(page, '/account');
  await expectPath(page, '/login');

  // The old cookie, replayed by another browser, no longer gives access.
  const replay = await track('en');
  await replay.context().addCookies([{ name: 'arrimage_session', value: session.value, url: baseUrl() }]);
  await goto(replay, '/account');
  await expectPath(replay, '/login');
  await expectHeading(replay, en('login.heading'));
  assert.equal(await nav(replay).getByRole('button', { name: en('nav.logout'), exact: true }).count(), 0);
});

scenario('the coordinating agency registers a child, is warned of a duplicate, and reads the file; others see nothing', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await goto(page, '/login');
  await signIn(page, 'fr', INTAKE, DEMO_PASSWORD);
  await expectPath(page, '/');
  await clickAndWait(page, nav(page).getByRole('link', { name: fr('nav.children'), exact: true }));
  await expectPath(page, '/children');
  await expectHeading(page, fr('people.list_title'));
  assert.ok((await text(page.locator('main'))).includes('Démo-Tremblay, Léa'));
  await audit(page, 'children and youth list');

  await clickAndWait(page, page.getByRole('link', { name: fr('people.new_title'), exact: true }));
  await expectPath(page, '/children/new');
  await audit(page, 'registration form');
  let r = await clickAndWait(page, submitButton(page, fr('people.register')));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-given_name')), fr('field.required'));
  await audit(page, 'registration form with errors');

  const family = `Demo-${unique()}`;
  const fill = async (given, dob) => {
    await page.locator('#field-given_name').fill(given);
    await page.locator('#field-family_name').fill(family);
    await page.locator('#field-date_of_birth').fill(dob);
    await page.locator('#field-official_language-0').check();
    await page.locator('#field-capable_of_consent-1').check();
    await page.locator('#field-contact_given_name').fill('Parent');
    await page.locator('#field-contact_family_name').fill(family);
    await page.locator('#field-contact_relationship').selectOption('parent');
    await page.locator('#field-contact_phone').fill('613-555-0177');
  };
  await fill('Zoé', '2016-04-12');
  await clickAndWait(page, submitButton(page, fr('people.register')));
  assert.match(new URL(page.url()).pathname, /^\/children\/\d+$/);
  const filePath = new URL(page.url()).pathname;
  await expectFlash(page, fr('people.registered'));
  await expectHeading(page, `Zoé ${family}`);
  await audit(page, 'file summary');

  await goto(page, '/children/new');
  await fill('Zoe', '2016-12-04');
  r = await clickAndWait(page, submitButton(page, fr('people.register')));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('main'))).includes(fr('people.duplicates_heading')));
  await audit(page, 'registration with a probable duplicate');

  await goto(page, `/children?q=${encodeURIComponent(family)}`);
  assert.equal(await page.locator('tbody tr').count(), 1);

  // A school board with no part in the file gets the same answer as for a file that does not exist.
  const other = await track('fr');
  await goto(other, '/login');
  await signIn(other, 'fr', SCHOOL_STAFF, DEMO_PASSWORD);
  r = await goto(other, filePath);
  assert.equal(r.status(), 404);
  assert.ok(!(await text(other.locator('main'))).includes(family));
  await audit(other, 'file of someone else');
});

scenario('consent directives, the printable form, the lockbox, break-the-glass and its review', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const fr = (key, ...args) => t('fr', key, ...args);
  // Léa's assigned coordinator keeps her consent record.
  const page = await track('en');
  await goto(page, '/login');
  await signIn(page, 'en', COORDINATOR, DEMO_PASSWORD);
  await goto(page, '/children');
  await clickAndWait(page, page.getByRole('link', { name: 'Démo-Tremblay, Léa', exact: true }));
  const filePath = new URL(page.url()).pathname;
  await clickAndWait(page, page.getByRole('link', { name: en('consent.title'), exact: true }));
  await expectPath(page, `${filePath}/consent`);
  await audit(page, 'consent directives');
  const printHref = await page.getByRole('link', { name: en('consent.print_fr'), exact: true }).getAttribute('href');

  await clickAndWait(page, page.locator('main').getByRole('link', { name: en('consent.new_title'), exact: true }));
  await audit(page, 'consent directive form');
  let r = await clickAndWait(page, submitButton(page, en('consent.record')));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-categories')), en('field.choose_at_least_one'));
  await audit(page, 'consent directive form with errors');

  r = await goto(page, printHref);
  assert.equal(r.status(), 200);
  assert.equal(await htmlLang(page), 'fr');
  assert.equal(await page.getByRole('navigation', { name: fr('layout.nav_label') }).count(), 0);
  await audit(page, 'printable consent form');

  // The plain-language summary, reached from the consent page, in both languages.
  await goto(page, `${filePath}/consent`);
  r = await clickAndWait(page, page.getByRole('link', { name: en('consent.summary_en'), exact: true }));
  assert.equal(r.status(), 200);
  assert.equal(await htmlLang(page), 'en');
  await expectHeading(page, en('consent.summary.heading'));
  await audit(page, 'plain-language consent summary');
  r = await goto(page, `${filePath}/consent/summary?lang=fr`);
  assert.equal(r.status(), 200);
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, fr('consent.summary.heading'));
  await audit(page, 'plain-language consent summary in French');

  await goto(page, `${filePath}/lockbox`);
  await expectHeading(page, en('lockbox.heading', 'Léa Démo-Tremblay'));
  await audit(page, 'lockbox');

  // The family withdraws its consent: the treatment centre, on her team, is refused from now on.
  await goto(page, `${filePath}/consent`);
  await clickAndWait(page, page.locator('main form').getByRole('button', { name: /^Withdraw this directive/ }));
  await expectFlash(page, en('consent.withdrawn'));
  await audit(page, 'consent directives after a withdrawal');

  const staff = await track('en');
  await goto(staff, '/login');
  await signIn(staff, 'en', 'staff.ctc@demo.arrimage.invalid', DEMO_PASSWORD);
  r = await goto(staff, filePath);
  assert.equal(r.status(), 403);
  await audit(staff, 'refused file with the emergency access form');
  await staff.locator('#field-reason').fill('Léa told her therapist she plans to run away tonight');
  await clickAndWait(staff, submitButton(staff, en('break_glass.open')));
  await expectPath(staff, filePath);
  await expectFlash(staff, en('break_glass.opened'));
  await audit(staff, 'file read through break-the-glass');

  const po = await track('fr');
  await goto(po, '/login');
  await signIn(po, 'fr', 'privacy@demo.arrimage.invalid', DEMO_PASSWORD);
  await goto(po, '/privacy/break-glass');
  await expectHeading(po, fr('break_glass.queue_title'));
  assert.ok((await text(po.locator('main'))).includes('run away tonight'));
  await audit(po, 'break-the-glass review queue');
  await po.locator('main textarea').first().fill('Justifié : la police a été appelée.');
  await clickAndWait(po, submitButton(po, fr('break_glass.mark_reviewed')));
  await expectFlash(po, fr('break_glass.reviewed'));
});

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 20);
