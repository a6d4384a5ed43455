// End-to-end tests of capacity building (the network feature's training catalogue, requirements,
// completions and compliance, docs/NETWORK.md "Capacity building"; the library of common tools
// and forms; the outreach log) in a real browser (Chromium
// through playwright-core), in French and in English, with axe-core accessibility checks on every
// page visited at a phone and a desktop viewport.
//
//   node tests/e2e/capacity.mjs path/to/arrimage
//
// Same harness as the other browser tests (harness.mjs): the server on a free port with a fresh
// SQLite database and the demo data (demo_training.cpp: six trainings, every standing), the
// scenarios in order, the server stopped and its temporary directory removed, also on failure.
// The last line printed is "N passed, M failed"; the exit status is non-zero on any failure. CTest
// runs it as the test `e2e-capacity` (label e2e).

import assert from 'node:assert/strict';

import {
  accessibilityScenario, audit, clickAndWait, expectHeading, expectPath, goto, messages, scenario, signInDemo as signIn,
  squash, start, text,
} from './harness.mjs';

// The message catalogue the server embeds: the tests compare against it rather than copy text.
const { t } = messages(['en.json', 'network.en.json', 'network_training.en.json', 'network_tools.en.json', 'network_outreach.en.json'],
  ['fr.json', 'network.fr.json', 'network_training.fr.json', 'network_tools.fr.json', 'network_outreach.fr.json']);

await start({ prefix: 'arrimage-e2e-capacity-' });

// The day `n` days from today (UTC), as forms take it.
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

// Chooses `value` in a choice field, whether the page draws it as a list (select) or as radio
// buttons labelled `label`.
async function choose(page, name, value, label) {
  const field = page.locator(`#field-${name}`);
  if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value === null ? { label } : value);
  else await field.getByRole('radio', { name: label, exact: true }).check();
}

// The rows of the main content's tables that mention every one of `texts`.
function rowsWith(page, ...texts) {
  let rows = page.locator('main table tbody tr');
  for (const s of texts) rows = rows.filter({ hasText: s });
  return rows;
}

// Trainings made here, and the demo's (demo_training.cpp).
const created = {
  fr: 'Transition vers les services pour adultes : planifier dès 14 ans',
  en: 'Transition to adult services: planning from age 14',
  description_fr: 'Préparer avec le jeune et sa famille le passage aux services pour adultes : repères, calendrier, partenaires.',
  description_en: 'Preparing the move to adult services with the young person and their family: milestones, timeline, partners.',
};
const frenchLanguage = { fr: 'Services en français : l\'offre active', en: 'French-language services: active offer' };
const privacyTraining = { fr: 'Vie privée et consentement (LPRPS / LSEJF, partie X)', en: 'Privacy and consent (PHIPA / CYFSA Part X)' };
const blueRiver = 'Blue River Family Services (fictional)';
const alex = 'Alex Exemple';  // Blue River's coordinator: the French-language training overdue in the demo

// The agency's administrator (in French) opens the training catalogue from the network's page,
// adds a training after the field errors of a length and a validity out of range, then says which
// roles must complete it and within how many days.
scenario('the agency adds a training after field errors and sets who must complete it, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);

  const page = await track('fr');
  await signIn(page, 'ca.admin@demo.arrimage.invalid', 'fr');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: fr('nav.network'), exact: true }));
  await expectPath(page, '/network');
  await expectHeading(page, fr('network.home.title'));
  await audit(page, 'the network\'s landing page with capacity building, French');
  await clickAndWait(page, page.getByRole('link', { name: fr('network.training.home_link'), exact: true }));
  await expectPath(page, '/network/trainings');
  await expectHeading(page, fr('network.training.list_title'));
  const catalogue = page.locator('main table tbody tr');
  const before = await catalogue.count();
  assert.ok(before >= 6, `the demo's trainings (${before})`);
  const jointTitle = 'Rencontres de plan intersectorielles : formation conjointe';
  const joint = await text(catalogue.filter({ has: page.getByRole('link', { name: jointTitle, exact: true }) }));
  assert.ok(joint.includes(fr('network.training.no_required_roles')), `the joint training is required of nobody: ${joint}`);
  await audit(page, 'the training catalogue, French');

  // Sent with a length over 200 hours and a validity of no months.
  await clickAndWait(page, page.getByRole('link', { name: fr('network.training.new_link'), exact: true }));
  await expectPath(page, '/network/trainings/new');
  await expectHeading(page, fr('network.training.new_title'));
  await audit(page, 'adding a training, French');
  await page.locator('#field-title_fr').fill(created.fr);
  await page.locator('#field-title_en').fill(created.en);
  await page.locator('#field-description_fr').fill(created.description_fr);
  await page.locator('#field-description_en').fill(created.description_en);
  await choose(page, 'format', 'online', fr('network.training.format.online'));
  await page.locator('#field-hours').fill('250');
  await page.locator('#field-validity_months').fill('0');
  const add = page.getByRole('button', { name: fr('network.training.create_submit'), exact: true });
  let r = await clickAndWait(page, add);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-hours')), squash(fr('network.training.hours_invalid')));
  assert.equal(await text(page.locator('#error-validity_months')), squash(fr('network.training.validity_invalid')));
  assert.equal(await page.locator('#field-hours').getAttribute('aria-invalid'), 'true');
  const summary = await text(page.locator('.arr-error-summary'));
  assert.ok(summary.startsWith(squash(fr('form.error_summary'))), summary);
  assert.ok(summary.includes(squash(fr('network.training.hours_invalid'))), summary);
  assert.equal(await page.locator('#field-title_fr').inputValue(), created.fr, 'the titles typed are kept');
  assert.equal(await page.locator('#field-description_en').inputValue(), created.description_en, 'and the descriptions');
  await audit(page, 'a training with field errors, French');

  // Two and a half hours, written the French way; valid for 36 months.
  await page.locator('#field-hours').fill('2,5');
  await page.locator('#field-validity_months').fill('36');
  r = await clickAndWait(page, add);
  assert.equal(r.status(), 200);
  await expectPath(page, /^\/network\/trainings\/\d+$/);
  const record = new URL(page.url()).pathname;
  assert.ok((await text(page.locator('body'))).includes(squash(fr('network.training.created'))));
  assert.ok((await text(page.locator('h1'))).includes(created.fr), 'the training\'s page, under its French title');
  const terms = await text(page.locator('main'));
  assert.ok(terms.includes(squash(fr('network.training.hours_value', '2,5'))) || terms.includes(squash(fr('network.training.hours_value', '2.5'))),
    `its length: ${terms.slice(0, 400)}`);
  assert.ok(terms.includes(squash(fr('network.training.validity_value', '36'))), 'its validity');
  assert.ok(terms.includes(squash(fr('network.training.no_requirements'))), 'nobody must complete it yet');
  await audit(page, 'a training just added, French');

  // Coordinators within 60 days, provider managers within 90; the other roles left empty.
  await clickAndWait(page, page.getByRole('link', { name: fr('network.training.requirements_link'), exact: true }));
  await expectPath(page, `${record}/requirements`);
  await expectHeading(page, fr('network.training.requirements_title', created.fr));
  await audit(page, 'who must complete a training, French');
  await page.locator('#field-due_days_coordinator').fill('60');
  await page.locator('#field-due_days_provider_manager').fill('90');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('network.training.requirements_submit'), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(page, record);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('network.training.requirements_saved'))));
  const coordinators = await text(rowsWith(page, fr('role.coordinator')));
  assert.ok(coordinators.includes(squash(fr('network.training.due_days_value', '60'))), coordinators);
  assert.ok(coordinators.includes(day(0)), `required from today: ${coordinators}`);
  assert.ok((await text(rowsWith(page, fr('role.provider_manager')))).includes(squash(fr('network.training.due_days_value', '90'))));
  assert.equal(await rowsWith(page, fr('role.participant_staff')).count(), 0, 'participants\' staff need not complete it');
  await audit(page, 'a training and who must complete it, French');

  await clickAndWait(page, page.getByRole('link', { name: fr('network.training.back'), exact: true }));
  await expectPath(page, '/network/trainings');
  assert.equal(await catalogue.count(), before + 1, 'the new training in the catalogue');
  const row = await text(catalogue.filter({ has: page.getByRole('link', { name: created.fr, exact: true }) }));
  assert.ok(row.includes(fr('role.coordinator')) && row.includes(fr('role.provider_manager')), `required of: ${row}`);
});

// Blue River's manager (in English) sees from the compliance pages that Alex Exemple's
// French-language training is overdue, records its completion (after the error of a date in the
// future), and finds it complete; downloads the compliance table; opens their own trainings.
scenario('a provider manager records a staff member\'s required training and sees the compliance view, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);

  const page = await track('en');
  await signIn(page, 'manager1@demo.arrimage.invalid', 'en');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: en('nav.network'), exact: true }));
  await expectPath(page, '/network');
  await clickAndWait(page, page.getByRole('link', { name: en('network.compliance.home_link'), exact: true }));
  await expectPath(page, '/network/compliance');
  await expectHeading(page, en('network.compliance.title'));
  const organisations = page.locator('main table tbody tr');
  assert.equal(await organisations.count(), 1, 'a manager sees their own organisation only');
  assert.ok((await text(organisations)).includes(blueRiver));
  await audit(page, 'training compliance by organisation, English');

  const exportLink = page.getByRole('link', { name: en('network.compliance.export_csv'), exact: true });
  const csv = await page.request.get(new URL(await exportLink.getAttribute('href'), page.url()).href);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'] || '', /text\/csv/);
  const table = await csv.text();
  assert.ok(table.includes(en('network.compliance.col.organisation')), 'the header in the reader\'s language');
  assert.ok(table.includes(blueRiver), 'the organisation\'s row');

  await clickAndWait(page, page.getByRole('link', { name: blueRiver, exact: true }));
  await expectPath(page, /^\/network\/compliance\/\d+$/);
  const compliance = new URL(page.url()).pathname;
  await expectHeading(page, en('network.compliance.organisation_heading', blueRiver));
  const overdue = await text(rowsWith(page, alex, frenchLanguage.en));
  assert.ok(overdue.includes(en('network.training.standing.overdue')), `in the demo, overdue: ${overdue}`);
  // Every standing, in words, among Blue River's people.
  const standings = await text(page.locator('main table').last());
  for (const s of ['complete', 'expiring_soon', 'due', 'overdue', 'lapsed'])
    assert.ok(standings.includes(en(`network.training.standing.${s}`)), `a training ${s} at Blue River`);
  await audit(page, 'an organisation\'s people and their trainings, English');

  // The training's page, from the catalogue: completions of Blue River's staff only.
  await clickAndWait(page, page.getByRole('link', { name: en('network.compliance.back'), exact: true }));
  await goto(page, '/network');
  await clickAndWait(page, page.getByRole('link', { name: en('network.training.home_link'), exact: true }));
  await expectHeading(page, en('network.training.list_title'));
  assert.equal(await page.getByRole('link', { name: en('network.training.new_link'), exact: true }).count(), 0,
    'only the agency adds trainings');
  await audit(page, 'the training catalogue as a provider manager reads it, English');
  await clickAndWait(page, page.getByRole('link', { name: frenchLanguage.en, exact: true }));
  await expectPath(page, /^\/network\/trainings\/\d+$/);
  const record = new URL(page.url()).pathname;
  assert.ok((await text(page.locator('h1'))).includes(frenchLanguage.en));
  assert.equal(await page.getByRole('link', { name: en('network.training.edit_link'), exact: true }).count(), 0,
    'only the agency changes its terms');
  const seen = await text(page.locator('main'));
  assert.ok(seen.includes('Dominique Fictif'), 'the completion of Blue River\'s other coordinator');
  assert.ok(!seen.includes('Lou École-Exemple') && !seen.includes('Ariel Traitement-Démo'), 'no other organisation\'s staff');
  await audit(page, 'a training as a provider manager reads it, English');

  // A date in the future first.
  await clickAndWait(page, page.getByRole('link', { name: en('network.training.record_link'), exact: true }));
  await expectPath(page, `${record}/completions/new`);
  await expectHeading(page, en('network.training.completion_title', frenchLanguage.en));
  await audit(page, 'recording a completion, English');
  await choose(page, 'user', null, en('network.training.staff_choice', alex, blueRiver));
  await page.locator('#field-completed_on').fill(day(3));
  await page.locator('#field-note').fill('Online module completed; certificate on file.');
  const recordCompletion = page.getByRole('button', { name: en('network.training.completion_submit'), exact: true });
  let r = await clickAndWait(page, recordCompletion);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-completed_on')), squash(en('network.training.completed_in_future')));
  assert.ok((await text(page.locator('.arr-error-summary'))).startsWith(squash(en('form.error_summary'))));
  assert.equal(await page.locator('#field-note').inputValue(), 'Online module completed; certificate on file.', 'the note is kept');
  await audit(page, 'a completion with a date in the future, English');
  await page.locator('#field-completed_on').fill(day(-1));
  r = await clickAndWait(page, recordCompletion);
  assert.equal(r.status(), 200);
  await expectPath(page, record);
  assert.ok((await text(page.locator('body'))).includes(squash(en('network.training.completion_recorded'))));
  const completion = await text(rowsWith(page, alex, day(-1)));
  assert.ok(completion.includes('Robin Gestion-Démo'), `recorded by the manager: ${completion}`);
  await audit(page, 'a training with the completion just recorded, English');

  await goto(page, compliance);
  const complete = await text(rowsWith(page, alex, frenchLanguage.en));
  assert.ok(complete.includes(en('network.training.standing.complete')), `now complete: ${complete}`);
  assert.ok(complete.includes(day(-1)), `completed yesterday: ${complete}`);
  await audit(page, 'an organisation\'s trainings after a completion, English');

  // Their own trainings, from the network's page: the demo's three and the one the agency added.
  await goto(page, '/network');
  await clickAndWait(page, page.getByRole('link', { name: en('network.training.mine_link'), exact: true }));
  await expectPath(page, '/network/my-trainings');
  await expectHeading(page, en('network.training.mine_title'));
  assert.ok(await page.locator('main table tbody tr').count() >= 3, 'the manager\'s required trainings');
  assert.ok((await text(rowsWith(page, created.en))).includes(en('network.training.standing.due')), 'the new training, due');
  await audit(page, 'a provider manager\'s own trainings, English');
});

// The agency's coordinator (in French) opens their own trainings: their privacy training expires
// within 30 days, and the training the agency just added is due.
scenario('a coordinator opens My trainings, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);

  const page = await track('fr');
  await signIn(page, 'coord.ca@demo.arrimage.invalid', 'fr');
  let r = await goto(page, '/network/my-trainings');
  assert.equal(r.status(), 200);
  await expectHeading(page, fr('network.training.mine_title'));
  const rows = page.locator('main table tbody tr');
  assert.ok(await rows.count() >= 6, 'the demo\'s five required trainings and the new one');
  assert.ok((await text(rowsWith(page, privacyTraining.fr))).includes(fr('network.training.standing.expiring_soon')),
    'the privacy training expires soon, in words');
  const added = await text(rowsWith(page, created.fr));
  assert.ok(added.includes(fr('network.training.standing.due')), `the new training, due: ${added}`);
  assert.ok(added.includes(day(60)), `due within 60 days of today: ${added}`);
  await audit(page, 'a coordinator\'s own trainings, French');

  // The catalogue and the compliance pages are for the agency, the providers' managers and the
  // ministry.
  r = await goto(page, '/network/compliance');
  assert.equal(r.status(), 403);
});

// The library of common tools and forms and the outreach log: the agency's administrator (in
// French) reads the library, a tool, the adoption table and the forms that add a tool and record an
// activity; a provider manager (in English) reads the log and an activity; a coordinator finds the
// library in the navigation.
scenario('the library of common tools and the outreach log, in French and in English', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const en = (key, ...args) => t('en', key, ...args);

  const admin = await track('fr');
  await signIn(admin, 'ca.admin@demo.arrimage.invalid', 'fr');
  let r = await goto(admin, '/network');
  assert.equal(r.status(), 200);
  assert.ok((await text(admin.locator('main'))).includes(squash(fr('network.home.summary.plans', '', '').split(':')[0])),
    'the landing page says where the plans stand');
  await clickAndWait(admin, admin.getByRole('link', { name: fr('network.tools.home_link'), exact: true }));
  await expectHeading(admin, fr('network.tools.list_title'));
  await audit(admin, 'the library of common tools and forms, French');
  await clickAndWait(admin, admin.locator('main table tbody tr th a').first());
  await expectPath(admin, /^\/network\/tools\/[0-9]+$/);
  await audit(admin, 'a common tool, French');
  r = await goto(admin, '/network/tools/adoption');
  assert.equal(r.status(), 200);
  await expectHeading(admin, fr('network.tools.adoption.title'));
  await audit(admin, 'the adoption of the mandatory tools, French');
  r = await goto(admin, '/network/tools/new');
  assert.equal(r.status(), 200);
  await expectHeading(admin, fr('network.tools.new_title'));
  await audit(admin, 'adding a common tool, French');
  r = await goto(admin, '/network/outreach/new');
  assert.equal(r.status(), 200);
  await expectHeading(admin, fr('network.outreach.new_title'));
  await audit(admin, 'recording an outreach activity, French');

  const manager = await track('en');
  await signIn(manager, 'manager1@demo.arrimage.invalid', 'en');
  await goto(manager, '/network');
  await clickAndWait(manager, manager.getByRole('link', { name: en('network.outreach.home_link'), exact: true }));
  await expectHeading(manager, en('network.outreach.title'));
  assert.ok(await manager.locator('main table tbody tr').count() >= 10, 'the demo\'s activities');
  await audit(manager, 'the outreach and knowledge-sharing log, English');
  await clickAndWait(manager, manager.locator('main table tbody tr th a').first());
  await expectPath(manager, /^\/network\/outreach\/[0-9]+$/);
  await audit(manager, 'an outreach activity, English');

  const coordinator = await track('en');
  await signIn(coordinator, 'coord1@demo.arrimage.invalid', 'en');
  await clickAndWait(coordinator, coordinator.getByRole('link', { name: en('nav.tools'), exact: true }));
  await expectHeading(coordinator, en('network.tools.list_title'));
  await audit(coordinator, 'the library as a coordinator reads it, English');
});

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every capacity building page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 25);
