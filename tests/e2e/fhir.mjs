// End-to-end tests of the FHIR R4 API and its administration: in a real browser (Chromium
// through playwright-core) the coordinating agency's administrator registers, re-keys and
// revokes API clients, in English and in French, with axe-core accessibility checks on every
// page visited at a phone and a desktop viewport; then a real FHIR client (fhir-kit-client, in
// Node, no browser) obtains a token with the demo client's secret and reads and searches what
// its organisation may see; the privacy officer finds its accesses in the audit.
//
//   node tests/e2e/fhir.mjs path/to/arrimage
//
// Same harness as run.mjs, directory.mjs and casework.mjs (harness.mjs): the server on a free
// port with a fresh SQLite database and the demo data, the scenarios in order, the server
// stopped and its temporary directory removed, also on failure. The last line printed is
// "N passed, M failed"; the exit status is non-zero on any failure. CTest runs it as the test
// `e2e-fhir` (label e2e).

import assert from 'node:assert/strict';

import { Client } from 'fhir-kit-client';

import {
  accessibilityScenario, audit, baseUrl, clickAndWait, expectHeading, expectPath, goto, htmlLang, messages, scenario, squash,
  start, text,
} from './harness.mjs';

// The message catalogue the server embeds: the tests compare against it rather than copy text.
const { t } = messages(['en.json', 'privacy.en.json', 'privacy_office.en.json', 'people.en.json', 'api_clients.en.json', 'fhir.en.json', 'fhir_rules.en.json'],
  ['fr.json', 'privacy.fr.json', 'privacy_office.fr.json', 'people.fr.json', 'api_clients.fr.json', 'fhir.fr.json', 'fhir_rules.fr.json']);

const DEMO_PASSWORD = 'demo-password-2026';
const CA_ADMIN = 'ca.admin@demo.arrimage.invalid';   // coordinating agency administrator
const PRIVACY = 'privacy@demo.arrimage.invalid';     // the coordinating agency's privacy officer
const NOAH_COORDINATOR = 'coord3@demo.arrimage.invalid';

// The demo clients (src/app/demo_api_clients.cpp): the treatment centre's health record
// system, on Léa Démo-Tremblay's team, and the mental-health agency's revoked former portal.
const DEMO_ACTIVE = 'Centre de traitement Démo — DSE / Demo Treatment Centre — EHR';
const DEMO_REVOKED = 'Santé mentale jeunesse Démo — ancien portail / former portal';
const TREATMENT_CENTRE = { en: 'Demo Children\'s Treatment Centre', fr: 'Centre de traitement pour enfants Démo' };
const MENTAL_HEALTH = { en: 'Demo Youth Mental Health', fr: 'Santé mentale jeunesse Démo' };

const RESOURCE_TYPES = ['Patient', 'RelatedPerson', 'Organization', 'Location', 'HealthcareService'];

// What the scenarios hand on to the next ones.
const shared = {
  revokedToken: '',   // an access token of the client registered and then revoked in the first scenario
  newClientName: '',
};

await start({ prefix: 'arrimage-e2e-fhir-' });

// ---------------------------------------------------------------- helpers

// Signs in, then works in `lang` with the header's switch (a signed-in user's language is their
// account's).
async function signIn(page, email, lang) {
  await goto(page, '/login');
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill(DEMO_PASSWORD);
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  if ((await htmlLang(page)) !== lang) await switchLanguage(page, lang);
  assert.equal(await htmlLang(page), lang);
}

async function switchLanguage(page, lang) {
  await clickAndWait(page, page.locator(`form[action="/lang/${lang}"] button`));
  assert.equal(await htmlLang(page), lang);
}

function unique() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

function clientRow(page, name) {
  return page.locator('table.arr-table tbody tr', { has: page.getByRole('link', { name, exact: true }) });
}

// The table's cells of a client's row: name, organisation, role, scopes, status, registered, last used.
async function rowCells(row) {
  return (await row.locator('th, td').allInnerTexts()).map(squash);
}

// What the page that shows a secret says: the client ID and the secret, read from the page.
async function shownSecret(page) {
  const clientId = await text(page.locator('#client-id'));
  const secret = await text(page.locator('#client-secret'));
  assert.match(clientId, /^\S+$/);
  assert.ok(secret.length >= 20, `a secret of ${secret.length} characters`);
  return { clientId, secret };
}

// POST /oauth/token with HTTP Basic credentials (RFC 6749 section 2.3.1), as a partner system would.
async function requestToken(clientId, secret, scope) {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope) body.set('scope', scope);
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64');
  const r = await fetch(`${baseUrl()}/oauth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body,
  });
  return { status: r.status, cacheControl: r.headers.get('cache-control'), body: await r.json() };
}

async function tokenFor(clientId, secret) {
  const r = await requestToken(clientId, secret);
  assert.equal(r.status, 200, `token request: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.token_type, 'Bearer');
  assert.ok(typeof r.body.access_token === 'string' && r.body.access_token.length >= 20);
  assert.ok(Number.isInteger(r.body.expires_in) && r.body.expires_in > 0);
  assert.equal(r.cacheControl, 'no-store');
  return r.body;
}

function fhirClient(token) {
  return new Client({ baseUrl: `${baseUrl()}/fhir`, bearerToken: token });
}

// The error answer of a call the server must refuse (fhir-kit-client rejects with it).
async function refused(call) {
  let answer;
  try {
    answer = await call;
  } catch (err) {
    if (!err.response) throw err;
    return err.response;
  }
  assert.fail(`the call was expected to be refused, it answered ${JSON.stringify(answer).slice(0, 300)}`);
}

function outcomeIssue(data) {
  assert.equal(data.resourceType, 'OperationOutcome', JSON.stringify(data));
  assert.ok(Array.isArray(data.issue) && data.issue.length >= 1);
  return data.issue[0];
}

function entriesOf(bundle, type) {
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'searchset');
  return (bundle.entry || []).map((e) => e.resource).filter((r) => r.resourceType === type);
}

const familyNames = (resource) => (resource.name || []).map((n) => n.family);

// ---------------------------------------------------------------- administration, in English

scenario('the agency administrator registers an API client, sees its secret once, issues a new one and revokes it, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await signIn(page, CA_ADMIN, 'en');

  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: en('nav.admin'), exact: true }));
  await expectPath(page, '/admin');
  await audit(page, 'administration');
  await clickAndWait(page, page.locator('main').getByRole('link', { name: en('api_client.list_title'), exact: true }));
  await expectPath(page, '/admin/api-clients');
  await expectHeading(page, en('api_client.list_title'));
  const active = await rowCells(clientRow(page, DEMO_ACTIVE));
  assert.equal(active[1], TREATMENT_CENTRE.en);
  assert.equal(active[2], en('role.participant_staff'));
  assert.ok(active[3].includes(en('api_client.scope_line', 'Patient', en('api_client.rights.read_search'))), active[3]);
  assert.equal(active[4], en('api_client.status.active'));
  const revoked = await rowCells(clientRow(page, DEMO_REVOKED));
  assert.equal(revoked[1], MENTAL_HEALTH.en);
  assert.equal(revoked[4], en('api_client.status.revoked'));
  assert.equal(await text(clientRow(page, DEMO_REVOKED).locator('td strong')), en('api_client.status.revoked'));
  await audit(page, 'API clients');

  // Registration: the mental-health agency's new portal, reading files and the directory.
  await clickAndWait(page, page.getByRole('link', { name: en('api_client.new_link'), exact: true }));
  await expectPath(page, '/admin/api-clients/new');
  await expectHeading(page, en('api_client.new_title'));
  await audit(page, 'API client registration');
  const name = `Demo Youth Mental Health — new portal ${unique()}`;
  const organisation = page.locator('select[name="organisation_id"]');
  const orgValue = await organisation.locator('option', { hasText: MENTAL_HEALTH.en }).first().getAttribute('value');
  await organisation.selectOption(orgValue);
  await page.getByRole('textbox', { name: new RegExp(`^${en('api_client.field.name')}`) }).fill(name);
  await page.getByRole('radio', { name: en('role.participant_staff'), exact: true }).check();
  await page.getByRole('checkbox', { name: en('api_client.resource.patient', 'Patient'), exact: true }).check();
  await page.getByRole('checkbox', { name: en('api_client.resource.organization', 'Organization'), exact: true }).check();
  let r = await clickAndWait(page, page.getByRole('button', { name: en('api_client.register'), exact: true }));
  assert.equal(r.status(), 200);
  await expectHeading(page, en('api_client.registered_heading', name));
  assert.equal(await text(page.locator('.arr-alert--error p strong')), en('api_client.secret_warning'));
  const first = await shownSecret(page);
  const main = await text(page.locator('main'));
  assert.ok(main.includes(en('api_client.scope_line', 'Patient', en('api_client.rights.read_search'))), main);
  assert.ok(main.includes(en('api_client.scope_line', 'Organization', en('api_client.rights.read_search'))), main);
  assert.ok(main.includes(MENTAL_HEALTH.en));
  assert.ok(main.includes(squash(en('api_client.team_note', `API: ${name}`))));
  // The installation's public address (its --public-base-url), not the test server's port.
  assert.equal(new URL(await text(page.locator('#token-url'))).pathname, '/oauth/token');
  await audit(page, 'API client registered, its secret shown');

  // The secret read from the page works at once.
  const firstToken = await tokenFor(first.clientId, first.secret);
  assert.equal(firstToken.scope, 'system/Patient.rs system/Organization.rs');

  // Its page: what it is, never its secret.
  await clickAndWait(page, page.getByRole('link', { name: en('api_client.to_details'), exact: true }));
  await expectPath(page, /^\/admin\/api-clients\/\d+$/);
  const clientPath = new URL(page.url()).pathname;
  await expectHeading(page, name);
  let html = await page.content();
  assert.ok(!html.includes(first.secret), 'the client\'s page shows its secret');
  assert.ok((await text(page.locator('main'))).includes(first.clientId));
  assert.ok((await text(page.locator('main'))).includes(squash(en('api_client.acts_as', MENTAL_HEALTH.en, en('role.participant_staff')))));
  await audit(page, 'an API client');

  // A new secret, shown once; the old secret and the tokens issued with it stop working.
  await clickAndWait(page, page.locator('main').getByRole('link', { name: en('api_client.new_secret'), exact: true }));
  await expectPath(page, `${clientPath}/secret`);
  await expectHeading(page, en('api_client.secret_confirm_heading', name));
  await audit(page, 'issuing a new secret for an API client');
  await clickAndWait(page, page.getByRole('button', { name: en('api_client.secret_confirm'), exact: true }));
  await expectHeading(page, en('api_client.new_secret_heading', name));
  const second = await shownSecret(page);
  assert.equal(second.clientId, first.clientId);
  assert.notEqual(second.secret, first.secret);
  await audit(page, 'a new secret for an API client');
  const old = await requestToken(first.clientId, first.secret);
  assert.equal(old.status, 401);
  assert.equal(old.body.error, 'invalid_client');
  let oldCall = await refused(fhirClient(firstToken.access_token).search({ resourceType: 'Organization' }));
  assert.equal(oldCall.status, 401);
  assert.equal(outcomeIssue(oldCall.data).code, 'login');
  const secondToken = await tokenFor(second.clientId, second.secret);
  const orgs = await fhirClient(secondToken.access_token).search({ resourceType: 'Organization', searchParams: { _count: 5 } });
  assert.ok(entriesOf(orgs, 'Organization').length >= 1);
  await goto(page, clientPath);
  html = await page.content();
  assert.ok(!html.includes(second.secret), 'the client\'s page shows its new secret');

  // Revocation, through its confirmation page.
  await clickAndWait(page, page.locator('main').getByRole('link', { name: en('api_client.revoke'), exact: true }));
  await expectPath(page, `${clientPath}/revoke`);
  await expectHeading(page, en('api_client.revoke_heading', name));
  await audit(page, 'revoking an API client');
  r = await clickAndWait(page, page.getByRole('button', { name: en('api_client.revoke_confirm'), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(page, clientPath);
  assert.equal(await text(page.locator('.arr-alert--success')), en('api_client.revoked'));
  assert.ok((await text(page.locator('main'))).includes(en('api_client.revoked_note')));
  assert.equal(await page.locator('main').getByRole('link', { name: en('api_client.new_secret'), exact: true }).count(), 0);
  assert.equal(await page.locator('main').getByRole('link', { name: en('api_client.revoke'), exact: true }).count(), 0);
  await audit(page, 'a revoked API client');
  const afterRevoke = await requestToken(second.clientId, second.secret);
  assert.equal(afterRevoke.status, 401);
  assert.equal(afterRevoke.body.error, 'invalid_client');
  shared.revokedToken = secondToken.access_token;
  shared.newClientName = name;
});

// ---------------------------------------------------------------- the same pages, in French

scenario('the API clients\' list, its filter and the registration form with field errors, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('en');
  await signIn(page, CA_ADMIN, 'en');
  await goto(page, '/admin/api-clients');
  await switchLanguage(page, 'fr');
  await expectPath(page, '/admin/api-clients');
  await expectHeading(page, fr('api_client.list_title'));
  const active = await rowCells(clientRow(page, DEMO_ACTIVE));
  assert.equal(active[1], TREATMENT_CENTRE.fr);
  assert.equal(active[2], fr('role.participant_staff'));
  assert.equal(active[4], fr('api_client.status.active'));
  assert.equal((await rowCells(clientRow(page, DEMO_REVOKED)))[4], fr('api_client.status.revoked'));
  if (shared.newClientName) assert.equal((await rowCells(clientRow(page, shared.newClientName)))[4], fr('api_client.status.revoked'));
  await audit(page, 'API clients, French');

  // The mental-health agency's clients only.
  const filter = page.locator('select[name="organisation"]');
  await filter.selectOption(await filter.locator('option', { hasText: MENTAL_HEALTH.fr }).first().getAttribute('value'));
  await clickAndWait(page, page.getByRole('button', { name: fr('api_client.filter_apply'), exact: true }));
  const organisations = (await page.locator('table.arr-table tbody tr td:nth-of-type(1)').allInnerTexts()).map(squash);
  assert.ok(organisations.length >= 1);
  assert.deepEqual([...new Set(organisations)], [MENTAL_HEALTH.fr]);
  assert.equal(await clientRow(page, DEMO_ACTIVE).count(), 0);
  await audit(page, 'API clients of one organisation, French');

  await clickAndWait(page, page.getByRole('link', { name: fr('api_client.new_link'), exact: true }));
  await expectHeading(page, fr('api_client.new_title'));
  assert.equal(await htmlLang(page), 'fr');
  await audit(page, 'API client registration, French');
  const r = await clickAndWait(page, page.getByRole('button', { name: fr('api_client.register'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-organisation_id')), squash(fr('field.choose_one')));
  assert.equal(await text(page.locator('#error-name')), squash(fr('field.required')));
  assert.equal(await text(page.locator('#error-role')), squash(fr('field.required')));
  assert.equal(await text(page.locator('#error-scopes')), squash(fr('field.choose_at_least_one')));
  assert.equal(await page.locator('.arr-error-summary li').count(), 4);
  await audit(page, 'API client registration with field errors, French');
});

// ---------------------------------------------------------------- a FHIR client

scenario('a FHIR client with the demo client\'s new secret reads and searches what the treatment centre may see', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const fr = (key, ...args) => t('fr', key, ...args);

  // The administrator issues the demo client a new secret, as a newcomer setting up the
  // partner's system would.
  const admin = await track('en');
  await signIn(admin, CA_ADMIN, 'en');
  await goto(admin, '/admin/api-clients');
  await clickAndWait(admin, admin.getByRole('link', { name: DEMO_ACTIVE, exact: true }));
  await expectHeading(admin, DEMO_ACTIVE);
  await clickAndWait(admin, admin.locator('main').getByRole('link', { name: en('api_client.new_secret'), exact: true }));
  await expectHeading(admin, en('api_client.secret_confirm_heading', DEMO_ACTIVE));
  await clickAndWait(admin, admin.getByRole('button', { name: en('api_client.secret_confirm'), exact: true }));
  await expectHeading(admin, en('api_client.new_secret_heading', DEMO_ACTIVE));
  const { clientId, secret } = await shownSecret(admin);
  await audit(admin, 'a new secret for the demo API client');

  // Noah Demo-Smith's file number, from his coordinator's list: the client is not on his team.
  const coordinator = await track('en');
  await signIn(coordinator, NOAH_COORDINATOR, 'en');
  await goto(coordinator, '/children?q=Demo-Smith');
  const noahHref = await coordinator.locator('main').getByRole('link', { name: /^Demo-Smith, Noah/ }).first().getAttribute('href');
  const noahId = /^\/children\/(\d+)$/.exec(noahHref)?.[1];
  assert.ok(noahId, `Noah's file link: ${noahHref}`);
  await audit(coordinator, 'children\'s files found by name');

  const granted = await tokenFor(clientId, secret);
  for (const type of RESOURCE_TYPES) assert.ok(granted.scope.split(' ').includes(`system/${type}.rs`), granted.scope);
  const client = fhirClient(granted.access_token);

  const capability = await client.capabilityStatement();
  assert.equal(capability.resourceType, 'CapabilityStatement');
  assert.equal(capability.fhirVersion, '4.0.1');
  assert.deepEqual(capability.rest[0].resource.map((r) => r.type).sort(), [...RESOURCE_TYPES].sort());

  // The files the client sees: Léa's, on whose team it is, and not Noah's.
  const patients = entriesOf(await client.search({ resourceType: 'Patient' }), 'Patient');
  const lea = patients.find((p) => familyNames(p).includes('Démo-Tremblay'));
  assert.ok(lea, `Léa in ${JSON.stringify(patients.map((p) => p.name))}`);
  assert.ok(!patients.some((p) => p.id === noahId), 'Noah\'s file is among the results');

  const read = await client.read({ resourceType: 'Patient', id: lea.id });
  assert.equal(read.resourceType, 'Patient');
  assert.equal(read.id, lea.id);
  assert.ok(read.name.some((n) => n.family === 'Démo-Tremblay' && (n.given || []).includes('Léa')), JSON.stringify(read.name));

  const family = entriesOf(await client.search({ resourceType: 'RelatedPerson', searchParams: { patient: lea.id } }), 'RelatedPerson');
  const marie = family.find((m) => (m.name || []).some((n) => (n.given || []).includes('Marie')));
  assert.ok(marie, `Marie among ${JSON.stringify(family.map((m) => m.name))}`);
  assert.equal(marie.patient.reference, `Patient/${lea.id}`);

  // A file the client is not on the team of is not found, exactly like one that does not exist.
  let answer = await refused(client.read({ resourceType: 'Patient', id: noahId }));
  assert.equal(answer.status, 404);
  let issue = outcomeIssue(answer.data);
  assert.equal(issue.code, 'not-found');
  assert.ok(issue.diagnostics.includes(`Patient/${noahId}`), issue.diagnostics);
  answer = await refused(client.read({ resourceType: 'Patient', id: '987654321' }));
  assert.equal(answer.status, 404);
  assert.equal(outcomeIssue(answer.data).code, 'not-found');

  // The directory.
  const found = entriesOf(await client.search({ resourceType: 'Organization', searchParams: { name: 'treatment' } }), 'Organization');
  assert.ok(found.some((o) => o.name === TREATMENT_CENTRE.en || o.name === TREATMENT_CENTRE.fr), JSON.stringify(found.map((o) => o.name)));
  assert.ok(!found.some((o) => o.name === MENTAL_HEALTH.en || o.name === MENTAL_HEALTH.fr));

  // A bad search parameter, the diagnostics in the language asked for.
  answer = await refused(client.search({ resourceType: 'Patient', searchParams: { birthdate: 'hier' }, options: { headers: { 'Accept-Language': 'fr-CA,fr;q=0.9' } } }));
  assert.equal(answer.status, 400);
  issue = outcomeIssue(answer.data);
  assert.equal(issue.code, 'invalid');
  assert.equal(issue.diagnostics, fr('fhir.search.birthdate', 'hier'));
  assert.deepEqual(issue.location, ['http.birthdate']);

  // The client revoked in the first scenario: its token no longer opens anything.
  assert.ok(shared.revokedToken, 'the first scenario did not hand on a revoked client\'s token');
  answer = await refused(fhirClient(shared.revokedToken).search({ resourceType: 'Patient' }));
  assert.equal(answer.status, 401);
  issue = outcomeIssue(answer.data);
  assert.equal(issue.code, 'login');
  assert.equal(issue.diagnostics, en('fhir.error.login'));

  // The privacy officer finds the client's accesses, under its service account's name.
  const po = await track('fr');
  await signIn(po, PRIVACY, 'fr');
  await goto(po, '/privacy');
  await clickAndWait(po, po.locator('main').getByRole('link', { name: fr('privacy_office.audit_title'), exact: true }));
  await expectPath(po, '/privacy/audit');
  await audit(po, 'access audit, French');
  const search = async (file) => {
    await po.locator('#filter-file').fill(file);
    const orgs = po.locator('#filter-organisation');
    await orgs.selectOption(await orgs.locator('option', { hasText: TREATMENT_CENTRE.fr }).first().getAttribute('value'));
    await clickAndWait(po, po.locator('main form[action="/privacy/audit"] button[type="submit"]'));
    await expectPath(po, '/privacy/audit');
    return po.locator('table.arr-table tbody tr', { hasText: `API: ${DEMO_ACTIVE}` });
  };
  let rows = await search(lea.id);
  assert.ok(await rows.count() >= 2, 'the reads of Léa\'s file by the API client are not in the audit');
  for (const cells of await Promise.all((await rows.all()).map(rowCells))) {
    assert.equal(cells[2], fr('people.file_number', lea.id));
    assert.ok(cells[1].includes(TREATMENT_CENTRE.fr), cells[1]);
  }
  assert.ok((await text(rows.first())).includes(fr('privacy.effect.permit')));
  await audit(po, 'the API client\'s accesses to a file, French');
  rows = await search(noahId);
  assert.ok(await rows.count() >= 1, 'the refused read of Noah\'s file by the API client is not in the audit');
  assert.ok((await text(rows.first())).includes(fr('privacy.effect.deny')));
  await audit(po, 'the API client\'s refused access to a file, French');
});

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every API client and audit page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 17);
