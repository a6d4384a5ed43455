// End-to-end tests of the public service directory (/services) in a real browser (Chromium
// through playwright-core), without an account, in French and in English, with axe-core
// accessibility checks on every page visited at a phone and a desktop viewport.
//
//   node tests/e2e/directory.mjs path/to/arrimage
//
// Same harness as run.mjs (harness.mjs): the server on a free port with a fresh SQLite database
// and the demo data (src/app/demo_directory.cpp: sixteen fictional services, two of them last
// confirmed 45 days ago), the scenarios in order, the server stopped and its temporary
// directory removed, also on failure. The last line printed is "N passed, M failed"; the exit
// status is non-zero on any failure. CTest runs it as the test `e2e-directory` (label e2e).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';

import {
  accessibilityScenario, audit, clickAndWait, expectHeading, expectPath, goto, htmlLang, messages, scenario, squash, start,
  text, workDir,
} from './harness.mjs';

const MAX_AGE_YEARS = 120;           // domain::max_age_years (the bound in search.age_range)

// The message catalogue the server embeds (general, directory and HSDS messages): the tests
// compare against it rather than copy text.
const { t } = messages(['en.json', 'directory.en.json', 'hsds.en.json', 'referral.en.json', 'privacy.en.json', 'people.en.json'],
  ['fr.json', 'directory.fr.json', 'hsds.fr.json', 'referral.fr.json', 'privacy.fr.json', 'people.fr.json']);

await start({ prefix: 'arrimage-e2e-dir-' });

// ---------------------------------------------------------------- directory helpers

function nav(page) {
  return page.getByRole('navigation');
}

// Letters only, lower case, without accents: what the server's search and sort fold to.
const fold = (s) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

const cards = (page) => page.locator('main ol.dir-results > li.dir-card');

// The results shown: name, link, waitlist status class, wait text and "last updated" line.
async function results(page) {
  return cards(page).evaluateAll((items) => items.map((li) => {
    const a = li.querySelector('.dir-card__title a');
    const wait = li.querySelector('.dir-wait');
    const status = [...wait.classList].find((c) => c.startsWith('dir-wait--')).slice('dir-wait--'.length);
    return {
      name: a.textContent.replace(/\s+/g, ' ').trim(),
      href: a.getAttribute('href'),
      status,
      wait: wait.textContent.replace(/\s+/g, ' ').trim(),
      updated: li.querySelector('.dir-updated').textContent.replace(/\s+/g, ' ').trim(),
      stale: li.querySelector('.dir-stale') !== null,
    };
  }));
}

// The count heading ("Services found: N") must agree with the cards (all on one page here).
async function expectCount(page, lang, n) {
  assert.equal(squash(await text(page.locator('#results-heading'))), squash(t(lang, 'search.count', n)));
  assert.equal(await cards(page).count(), n, 'one card per service found');
}

function searchButton(page, lang) {
  return page.locator('main form.dir-search').getByRole('button', { name: t(lang, 'search.submit'), exact: true });
}

// Opens the filters (a <details>) when they are closed.
async function openFilters(page) {
  const box = page.locator('details.dir-filters-box');
  if (!(await box.evaluate((el) => el.open))) await box.locator('summary').click();
}

// Fills in the search form like a visitor and submits it. `fields`: q, area (label), category
// (value), age, language (value), wait (value), sort (value), fls (bool).
async function search(page, lang, fields) {
  await page.locator('#search-q').fill(fields.q ?? '');
  const filters = ['area', 'category', 'age', 'language', 'wait', 'sort', 'fls'].some((k) => k in fields);
  if (filters) {
    await openFilters(page);
    if ('area' in fields) await page.locator('#search-area').selectOption({ label: fields.area });
    if ('category' in fields) await page.locator('#search-category').selectOption(fields.category);
    if ('age' in fields) await page.locator('#search-age').fill(String(fields.age));
    if ('language' in fields) await page.locator('#search-language').selectOption(fields.language);
    if ('wait' in fields) await page.locator('#search-wait').selectOption(fields.wait);
    if ('sort' in fields) await page.locator('#search-sort').selectOption(fields.sort);
    if ('fls' in fields) await page.locator('#search-fls').setChecked(Boolean(fields.fls));
  }
  return clickAndWait(page, searchButton(page, lang));
}

const names = (list) => list.map((r) => r.name).sort();
const hrefs = (list) => list.map((r) => r.href).sort();

// The demo services (src/app/demo_directory.cpp) the assertions below rely on.
const SPEECH = { en: 'Paediatric Speech Therapy', fr: 'Orthophonie pédiatrique' };
const COUNSELLING = { en: 'Maple Youth Counselling', fr: 'Counseling jeunesse Érable' };  // last confirmed 45 days ago
const RESPITE = { en: 'Blue River Family Respite', fr: 'Répit familial Rivière-Bleue' };
const DEMO_SERVICES = 16;
const REGION = { en: 'Demo East Region', fr: 'Zone de démonstration Est' };

// ---------------------------------------------------------------- scenarios

scenario('a French visitor without an account searches; accents do not matter', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  let response = await goto(page, '/services');
  assert.equal(response.status(), 200);
  await expectPath(page, '/services');
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, fr('search.heading'));
  await expectCount(page, 'fr', DEMO_SERVICES);
  assert.equal(await page.locator('#search-q').getAttribute('type'), 'search');
  await audit(page, 'directory search, French, all services');

  // Same services with and without accents, in either case.
  const found = {};
  for (const q of ['école', 'ecole', 'ÉCOLE', 'répit', 'repit', 'orthophonie', 'Orthophonie']) {
    response = await search(page, 'fr', { q });
    assert.equal(response.status(), 200, q);
    assert.equal(await htmlLang(page), 'fr');
    assert.equal(new URL(page.url()).searchParams.get('q'), q);
    assert.equal(await page.locator('#search-q').inputValue(), q, 'the words are kept in the form');
    found[q] = await results(page);
    assert.ok(found[q].length >= 1, `"${q}" finds something`);
    await expectCount(page, 'fr', found[q].length);
  }
  await audit(page, 'directory search results, French');
  assert.deepEqual(hrefs(found.ecole), hrefs(found['école']), 'ecole = école');
  assert.deepEqual(hrefs(found['ÉCOLE']), hrefs(found['école']), 'ÉCOLE = école');
  assert.deepEqual(hrefs(found.repit), hrefs(found['répit']), 'repit = répit');
  assert.deepEqual(hrefs(found.Orthophonie), hrefs(found.orthophonie));
  assert.ok(names(found['répit']).includes(RESPITE.fr), JSON.stringify(names(found['répit'])));
  assert.ok(names(found.orthophonie).includes(SPEECH.fr), JSON.stringify(names(found.orthophonie)));
  assert.ok(found.orthophonie.length < DEMO_SERVICES, 'a word narrows the list');

  // Nothing found: a message, no list.
  await search(page, 'fr', { q: 'zzzqqqxxx' });
  await expectCount(page, 'fr', 0);
  assert.ok((await text(page.locator('main'))).includes(squash(fr('search.none'))));
  await audit(page, 'directory search, French, nothing found');
});

scenario('an English visitor without an account searches in English and in French words', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await goto(page, '/services');
  assert.equal(await htmlLang(page), 'en');
  await expectHeading(page, en('search.heading'));
  // No account: no sign-out button, no staff link.
  assert.equal(await nav(page).getByRole('button', { name: en('nav.logout'), exact: true }).count(), 0);
  assert.equal(await page.locator('.dir-staff-link').count(), 0);
  await audit(page, 'directory search, English, all services');

  const found = {};
  for (const q of ['speech therapy', 'Speech Therapy', 'orthophonie', 'counselling', 'respite', 'école', 'ecole']) {
    const r = await search(page, 'en', { q });
    assert.equal(r.status(), 200, q);
    assert.equal(await htmlLang(page), 'en');
    found[q] = await results(page);
    await expectCount(page, 'en', found[q].length);
  }
  await audit(page, 'directory search results, English');
  assert.ok(names(found['speech therapy']).includes(SPEECH.en), JSON.stringify(names(found['speech therapy'])));
  assert.deepEqual(hrefs(found['Speech Therapy']), hrefs(found['speech therapy']));
  // The search text holds both languages: the French word finds the same service.
  assert.ok(names(found.orthophonie).includes(SPEECH.en), JSON.stringify(names(found.orthophonie)));
  assert.ok(names(found.counselling).includes(COUNSELLING.en));
  assert.ok(names(found.respite).includes(RESPITE.en));
  assert.ok(found['école'].length >= 1);
  assert.deepEqual(hrefs(found.ecole), hrefs(found['école']), 'ecole = école in English too');

  // The language switch keeps the visitor on the directory.
  const toFrench = nav(page).getByRole('link', { name: t('fr', 'lang.self'), exact: true });
  await clickAndWait(page, toFrench);
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, t('fr', 'search.heading'));
});

scenario('filters: age, language, wait time, region, type of service', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await goto(page, '/services');

  // Region: the demo data has one, holding every service.
  let r = await search(page, 'en', { area: REGION.en });
  assert.equal(r.status(), 200);
  assert.ok(new URL(page.url()).searchParams.get('area'), 'the region is in the address');
  await expectCount(page, 'en', DEMO_SERVICES);
  assert.equal(await page.locator('details.dir-filters-box').evaluate((el) => el.open), true, 'filters stay open when used');
  await audit(page, 'directory search filtered by region');

  // Age 22: only services without an upper age or one of at least 22.
  r = await search(page, 'en', { area: REGION.en, age: 22 });
  assert.deepEqual(names(await results(page)), ['Blue River Parenting Workshops', 'Demo North Family Food Bank',
    'Demo North Housing Help', 'Maple Youth Counselling', 'Youth Crisis Line']);
  assert.equal(await page.locator('#search-age').inputValue(), '22');

  // Language: Arabic and Somali are offered by one demo service.
  r = await search(page, 'en', { age: '', language: 'ar' });
  assert.deepEqual(names(await results(page)), [COUNSELLING.en]);
  r = await search(page, 'en', { language: 'es' });
  assert.deepEqual(names(await results(page)), ['Demo North Family Food Bank']);
  await audit(page, 'directory search filtered by language');

  // Wait time: open services, or waitlists of at most N weeks.
  r = await search(page, 'en', { language: '', wait: 'open' });
  let list = await results(page);
  assert.equal(list.length, 8, JSON.stringify(names(list)));
  assert.ok(list.every((x) => x.status === 'open'), 'only services accepting referrals');
  assert.ok(list.every((x) => x.wait === squash(en('waitlist.text.open'))));
  r = await search(page, 'en', { wait: '12' });
  list = await results(page);
  assert.equal(list.length, 11, JSON.stringify(names(list)));
  for (const x of list) {
    if (x.status === 'waitlist') {
      const weeks = Number(/(\d+)/.exec(x.wait)[1]);
      assert.ok(weeks <= 12, `${x.name}: ${x.wait}`);
    } else {
      assert.equal(x.status, 'open', x.name);
    }
  }
  assert.ok(list.some((x) => x.status === 'waitlist'));
  await audit(page, 'directory search filtered by wait time');

  // Type of service and a word together; French-language-services only.
  r = await search(page, 'en', { q: 'therapy', wait: '', category: 'mental_health' });
  list = await results(page);
  assert.ok(names(list).includes('Family Therapy'), JSON.stringify(names(list)));
  const mentalHealth = ['Family Therapy', COUNSELLING.en, 'Youth Crisis Line'];
  assert.ok(list.every((x) => mentalHealth.includes(x.name)), `mental health only: ${JSON.stringify(names(list))}`);
  assert.equal(await page.locator('#search-category').inputValue(), 'mental_health');
  r = await search(page, 'en', { q: '', category: '', fls: true });
  list = await results(page);
  assert.ok(list.length > 0 && list.length < DEMO_SERVICES, `FLS only: ${list.length}`);
  assert.equal(await cards(page).locator('.dir-badge').count(), list.length, 'every result shows the FLS badge');
  await audit(page, 'directory search, FLS only');

  // "Clear" resets everything.
  await clickAndWait(page, page.getByRole('link', { name: en('search.clear'), exact: true }));
  await expectPath(page, '/services');
  assert.equal(new URL(page.url()).search, '');
  await expectCount(page, 'en', DEMO_SERVICES);
});

scenario('sorting: name, shortest wait, most recently updated', async ({ track }) => {
  const page = await track('fr');
  await goto(page, '/services');

  await search(page, 'fr', { sort: 'name' });
  assert.equal(new URL(page.url()).searchParams.get('sort'), 'name');
  assert.equal(await page.locator('#search-sort').inputValue(), 'name');
  let list = await results(page);
  assert.equal(list.length, DEMO_SERVICES);
  const initials = list.map((x) => fold(x.name).replace(/[^a-z0-9]/g, '')[0]);
  assert.deepEqual(initials, [...initials].sort(), `French names in order: ${list.map((x) => x.name).join(' | ')}`);
  await audit(page, 'directory search sorted by name');

  await search(page, 'fr', { sort: 'wait' });
  list = await results(page);
  const rank = { open: 0, waitlist: 1, closed: 2 };
  const key = list.map((x) => [rank[x.status], x.status === 'waitlist' ? Number(/(\d+)/.exec(x.wait)[1]) : 0]);
  for (let i = 1; i < key.length; ++i) {
    const [a, b] = [key[i - 1], key[i]];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), `shortest wait first: ${list.map((x) => x.wait).join(' | ')}`);
  }
  assert.equal(list[0].status, 'open');
  assert.equal(list[list.length - 1].status, 'closed');

  await search(page, 'fr', { sort: 'updated' });
  list = await results(page);
  const dates = list.map((x) => /(\d{4}-\d{2}-\d{2})/.exec(x.updated)[1]);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'most recent first');
  assert.ok(list[list.length - 1].stale, 'the stale services come last');
  await audit(page, 'directory search sorted by last update');
});

scenario('a service page shows its waitlist and "last updated"', async ({ track }) => {
  const page = await track('en');
  const en = (key, ...args) => t('en', key, ...args);
  await goto(page, '/services');
  await search(page, 'en', { q: 'speech therapy' });
  await clickAndWait(page, cards(page).getByRole('link', { name: SPEECH.en, exact: true }));
  await expectPath(page, /^\/services\/\d+$/);
  const servicePath = new URL(page.url()).pathname;
  assert.equal(await htmlLang(page), 'en');
  await expectHeading(page, SPEECH.en);
  const box = page.locator('section.dir-wait-box');
  assert.equal(await text(box.locator('h2')), squash(en('waitlist.heading')));
  assert.equal(await text(box.locator('.dir-wait')), squash(en('waitlist.text.waitlist', 40)));
  const updated = await text(box.locator('.dir-updated'));
  assert.ok(updated.startsWith(squash(en('waitlist.last_updated'))), updated);
  const iso = await box.locator('time').getAttribute('datetime');
  assert.match(iso, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(await text(box.locator('time')), iso.slice(0, 10));
  assert.ok(Math.abs(Date.now() - Date.parse(iso)) < 2 * 86400_000, `just loaded: ${iso}`);
  assert.equal(await box.locator('.dir-stale').count(), 0, 'a fresh waitlist has no flag');
  assert.ok((await text(page.locator('main'))).includes('Nordville-Demo satellite office'), 'its locations');
  await audit(page, 'service page, English');

  // The same page in French, from the language switch.
  await clickAndWait(page, nav(page).getByRole('link', { name: t('fr', 'lang.self'), exact: true }));
  await expectPath(page, servicePath);
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, SPEECH.fr);
  assert.equal(await text(page.locator('section.dir-wait-box .dir-wait')), squash(t('fr', 'waitlist.text.waitlist', 40)));
  await audit(page, 'service page, French');

  // Back to the search.
  await clickAndWait(page, page.getByRole('link', { name: t('fr', 'search.back'), exact: true }));
  await expectPath(page, '/services');

  // A service that does not exist.
  const missing = await goto(page, '/services/999999');
  assert.equal(missing.status(), 404);
  await audit(page, 'missing service (404)');
});

scenario('a service not confirmed for 45 days is flagged as possibly out of date', async ({ track }) => {
  for (const lang of ['fr', 'en']) {
    const page = await track(lang);
    await goto(page, '/services');
    await search(page, lang, { q: lang === 'fr' ? 'counseling' : 'counselling' });
    const list = await results(page);
    const card = list.find((x) => x.name === COUNSELLING[lang]);
    assert.ok(card, `${COUNSELLING[lang]} in ${JSON.stringify(names(list))}`);
    assert.equal(card.stale, true, 'the card is flagged');
    assert.ok(card.updated.includes(squash(t(lang, 'waitlist.stale_flag'))), card.updated);
    const date = /(\d{4}-\d{2}-\d{2})/.exec(card.updated)[1];
    const days = (Date.now() - Date.parse(`${date}T00:00:00Z`)) / 86400_000;
    assert.ok(days > 44 && days < 47, `last updated ${date}`);
    await audit(page, `search with a stale service, ${lang}`);

    await clickAndWait(page, cards(page).getByRole('link', { name: COUNSELLING[lang], exact: true }));
    const note = page.locator('section.dir-wait-box .dir-stale');
    assert.equal(await note.count(), 1);
    assert.equal(await note.getAttribute('role'), 'note');
    assert.equal(await text(note), squash(`${t(lang, 'waitlist.stale_flag')} ${t(lang, 'waitlist.stale_public', 30)}`));
    await audit(page, `stale service page, ${lang}`);
  }
});

scenario('an age of -3 is a field error in the page language', async ({ track }) => {
  for (const lang of ['fr', 'en']) {
    const page = await track(lang);
    await goto(page, '/services');
    const r = await search(page, lang, { q: lang === 'fr' ? 'répit' : 'respite', age: -3 });
    assert.equal(r.status(), 422);
    assert.equal(await htmlLang(page), lang);
    const message = squash(t(lang, 'search.age_range', MAX_AGE_YEARS));
    assert.equal(await text(page.locator('#search-age-error')), message);
    const age = page.locator('#search-age');
    assert.equal(await age.getAttribute('aria-invalid'), 'true');
    assert.match(await age.getAttribute('aria-describedby'), /\bsearch-age-error\b/);
    assert.equal(await age.inputValue(), '-3', 'the value is kept');
    assert.equal(await page.locator('#search-q').inputValue(), lang === 'fr' ? 'répit' : 'respite');
    const summary = page.locator('.arr-error-summary');
    assert.equal(await text(summary.locator('h2')), squash(t(lang, 'form.error_summary')));
    assert.equal(await text(summary.locator('a[href="#search-age"]')), message);
    assert.equal(await page.locator('details.dir-filters-box').evaluate((el) => el.open), true, 'the field is visible');
    assert.equal(await cards(page).count(), 0, 'no results with an error');
    // The summary's link moves to the field.
    await summary.locator('a[href="#search-age"]').click();
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'search-age');
    await audit(page, `directory search with a bad age, ${lang}`);
  }
});

scenario('printing hides the search form and keeps the results and the service', async ({ track }) => {
  const page = await track('en');
  await goto(page, '/services');
  await search(page, 'en', { q: 'respite' });
  assert.equal(await page.locator('form.dir-search').isVisible(), true);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('form.dir-search').isVisible(), false, 'the search form is not printed');
  assert.equal(await page.locator('details.dir-filters-box').isVisible(), false);
  assert.equal(await cards(page).first().isVisible(), true, 'the results are printed');
  assert.equal(await page.locator('#results-heading').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  await clickAndWait(page, cards(page).getByRole('link', { name: RESPITE.en, exact: true }));
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.dir-back').isVisible(), false, 'no "back to the search" link on paper');
  assert.equal(await page.locator('section.dir-wait-box').isVisible(), true, 'the waitlist is printed');
  assert.equal(await page.locator('h1').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('.dir-back').isVisible(), true);
});

// Real files on disk, chosen in the file input as a person would. The demo administrator
// prefers French, so the pages are in French once signed in.
function writeHsdsSet(dir, waitTime) {
  fs.mkdirSync(dir, { recursive: true });
  const org = crypto.randomUUID(), loc = crypto.randomUUID(), svc = crypto.randomUUID(), term = crypto.randomUUID();
  const files = {
    'organizations.csv': `id,name,description\r\n${org},Organisme téléversé (fictif),Organisme téléversé\r\n`,
    'locations.csv': `id,location_type,organization_id,name\r\n${loc},physical,${org},Bureau fictif\r\n`,
    'addresses.csv': `id,location_id,address_1,city,state_province,postal_code,country,address_type\r\n` +
      `${crypto.randomUUID()},${loc},1 rue Fictive,Villefictive,ON,K0C 1N0,CA,physical\r\n`,
    'services.csv': `id,organization_id,name,description,status,wait_time\r\n${svc},${org},Club de xylophone (fictif),Ateliers,active,${waitTime}\r\n`,
    'service_at_locations.csv': `id,service_id,location_id\r\n${crypto.randomUUID()},${svc},${loc}\r\n`,
    'languages.csv': `id,service_id,code\r\n${crypto.randomUUID()},${svc},fr\r\n`,
    'taxonomy_terms.csv': `id,code,name,description\r\n${term},recreation,Loisirs,Loisirs\r\n`,
    'attributes.csv': `id,link_id,link_type,link_entity,taxonomy_term_id,value\r\n${crypto.randomUUID()},${svc},service,service,${term},\r\n`,
  };
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body);
  return Object.keys(files).map((name) => path.join(dir, name));
}

scenario('the coordinating agency checks an HSDS set from real files, then sees a bad row reported', async ({ track }) => {
  const page = await track('fr');
  await goto(page, '/login');
  await page.locator('#field-email').fill('ca.admin@demo.arrimage.invalid');
  await page.locator('#field-password').fill('demo-password-2026');
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  await goto(page, '/directory/hsds/import');
  await expectHeading(page, t('fr', 'hsds.import.title'));
  await audit(page, 'HSDS import page');

  const fill = async (files, checkOnly) => {
    await page.locator('#field-sda_id').selectOption({ index: 1 });
    await page.locator('#field-files').setInputFiles(files);
    if (checkOnly) await page.locator('#field-check_only').check();
    return clickAndWait(page, page.getByRole('button', { name: t('fr', 'hsds.import.submit'), exact: true }));
  };
  let r = await fill(writeHsdsSet(path.join(workDir(), 'hsds-good'), '4 semaines'), true);
  assert.equal(r.status(), 200);
  assert.equal(await text(page.locator('main .arr-alert--success')), squash(t('fr', 'hsds.import.valid', 1, 1, 1)));
  await audit(page, 'HSDS import checked');

  r = await fill(writeHsdsSet(path.join(workDir(), 'hsds-bad'), '-5 semaines'), false);
  assert.equal(r.status(), 422);
  const row = page.locator('table.arr-table tbody tr').first();
  assert.equal(await text(row.locator('td').nth(0)), 'services.csv');
  assert.equal(await text(row.locator('td').nth(2)), 'wait_time');
  assert.equal(await text(row.locator('td').nth(3)), squash(t('fr', 'hsds.problem.wait_time_out_of_range')));
  const problems = await page.locator('table.arr-table tbody tr').count();
  assert.equal(await text(page.locator('#error-files')), squash(t('fr', 'hsds.import.invalid', problems)));
  await audit(page, 'HSDS import report');
  // Nothing was imported: the public search does not know the service.
  await goto(page, '/services?q=xylophone');
  assert.equal(await cards(page).count(), 0);
});

// ---------------------------------------------------------------- referrals

// A French family refers their child along the area's single-window pathway; the agency's
// coordinator declines it with a warm referral along the crisis pathway.
const REFERRED = 'Essai-Navigateur';

scenario('a French family refers their child through the area\'s pathway, with field errors first', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await goto(page, '/services');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: fr('nav.refer'), exact: true }));
  await expectPath(page, '/refer');
  assert.equal(await htmlLang(page), 'fr');
  await expectHeading(page, fr('referral.title_new'));
  assert.ok((await text(page.locator('main'))).includes(squash(fr('referral.emergency'))));
  await audit(page, 'referral form, French');

  // Sent empty: an error summary linking to each field, nothing recorded.
  let r = await clickAndWait(page, page.getByRole('button', { name: fr('referral.submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-consent')), squash(fr('referral.error.consent_required')));
  assert.equal(await text(page.locator('#error-pathway_id')), squash(fr('referral.error.choose_pathway')));
  await audit(page, 'referral form with field errors, French');

  await page.getByRole('radio', { name: new RegExp(fr('pathway.mechanism.single_window').replace(/[()]/g, '\\$&')) }).check();
  await page.getByRole('radio', { name: fr('referral.source.family'), exact: true }).check();
  await page.locator('#field-given_name').fill('Zoé');
  await page.locator('#field-family_name').fill(REFERRED);
  await page.locator('#field-date_of_birth').fill('2016-04-03');
  await page.getByRole('radio', { name: fr('people.official_language.fr'), exact: true }).check();
  await page.locator('#field-contact_given_name').fill('Ana');
  await page.locator('#field-contact_family_name').fill(REFERRED);
  await page.locator('#field-contact_relationship').selectOption('parent');
  await page.locator('#field-contact_phone').fill('613-555-0142');
  await page.locator('#field-needs').fill('Retard de langage.\nBesoin de soutien à l\'école.');
  await page.getByRole('radio', { name: fr('privacy.given_by.substitute_decision_maker'), exact: true }).check();
  await page.locator('#field-consent').check();
  r = await clickAndWait(page, page.getByRole('button', { name: fr('referral.submit'), exact: true }));
  assert.equal(r.status(), 200);
  await expectHeading(page, fr('referral.sent_title'));
  assert.match(await text(page.locator('main [role="status"]')), /R-[2-9A-HJKMNP-Z]{8}/);
  await audit(page, 'referral sent, French');
});

scenario('the agency declines the referral with a warm referral along another pathway', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await goto(page, '/login');
  await page.locator('#field-email').fill('coord.ca@demo.arrimage.invalid');
  await page.locator('#field-password').fill('demo-password-2026');
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: fr('nav.referrals'), exact: true }));
  await expectHeading(page, fr('referral.inbox_title'));
  const row = page.locator('table.arr-table tbody tr', { hasText: REFERRED });
  assert.equal(await row.count(), 1);
  await audit(page, 'referrals received');
  await clickAndWait(page, row.locator('a').first());
  await expectPath(page, /^\/referrals\/\d+$/);
  assert.ok((await text(page.locator('main'))).includes('Retard de langage.'));
  await audit(page, 'a referral received');

  // Declining without saying where the family goes next is refused.
  const decline = page.getByRole('button', { name: fr('referral.decline_submit'), exact: true });
  await page.locator('#field-reason').selectOption('no_capacity');
  let r = await clickAndWait(page, decline);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-warm_pathway_id')), squash(fr('referral.error.warm_required')));
  await audit(page, 'decline with field errors');

  await page.locator('#field-reason').selectOption('not_eligible_needs');
  const crisis = await page.locator('#field-warm_pathway_id option', { hasText: 'Santé mentale jeunesse Démo' }).getAttribute('value');
  await page.locator('#field-warm_pathway_id').selectOption(crisis);
  await page.locator('#field-warm_consent').check();
  r = await clickAndWait(page, decline);
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('referral.declined_warm'))));
  assert.match(await text(page.locator('main')), /Réorienté comme aiguillage R-[2-9A-Z]{8} vers Santé mentale jeunesse Démo/);
  await audit(page, 'a referral declined and sent on');

  await goto(page, '/referrals/sent');
  assert.ok((await text(page.locator('main table'))).includes('Santé mentale jeunesse Démo'));
  assert.ok(!(await text(page.locator('main'))).includes(REFERRED), 'the sent list shows no content');
  await audit(page, 'referrals sent');
});

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every directory and referral page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 28);
