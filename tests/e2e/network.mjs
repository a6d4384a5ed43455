// End-to-end tests of the coordinating agency's network tooling in a real browser (Chromium
// through playwright-core): quarterly reports, the agreements registry, governance, complaints,
// integration maturity, the community plans registry and the network map, in French and in
// English, with axe-core accessibility checks on every page visited at a phone and a desktop
// viewport.
//
//   node tests/e2e/network.mjs path/to/arrimage
//
// Same harness as the other browser tests (harness.mjs): the server on a free port with a fresh
// SQLite database and the demo data, the scenarios in order, the server stopped and its temporary
// directory removed, also on failure. The last line printed is "N passed, M failed"; the exit
// status is non-zero on any failure. CTest runs it as the test `e2e-network` (label e2e).

import assert from 'node:assert/strict';

import {
  accessibilityScenario, audit, clickAndWait, expectHeading, expectPath, goto, htmlLang, messages, scenario, signInDemo as signIn,
  squash, start, text,
} from './harness.mjs';

// The message catalogue the server embeds: the tests compare against it rather than copy text.
const { t } = messages(['en.json', 'referral.en.json', 'privacy.en.json', 'people.en.json', 'notification.en.json', 'reporting.en.json', 'agreements.en.json', 'governance.en.json', 'complaints.en.json', 'network.en.json', 'network_plans.en.json', 'network_map.en.json'],
  ['fr.json', 'referral.fr.json', 'privacy.fr.json', 'people.fr.json', 'notification.fr.json', 'reporting.fr.json', 'agreements.fr.json', 'governance.fr.json', 'complaints.fr.json', 'network.fr.json', 'network_plans.fr.json', 'network_map.fr.json']);

await start({ prefix: 'arrimage-e2e-network-' });

// The quarterly report: the agency's administrator (in French) reviews and submits the demo's
// draft after a field error on the form that generates one, and refuses an indicator naming an
// event the workflow does not record; the ministry's analyst (in English) then reads the two
// submitted quarters side by side, and a report's tables with their hidden cells.
scenario('the agency reviews and submits a quarterly report in French; the analyst reads it in English', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const en = (key, ...args) => t('en', key, ...args);
  const now = new Date();
  let year = now.getUTCFullYear(), quarter = Math.floor(now.getUTCMonth() / 3);
  if (quarter === 0) { year -= 1; quarter = 4; }
  const last = { year, quarter };
  const before = quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };

  const page = await track('fr');
  await signIn(page, 'ca.admin@demo.arrimage.invalid', 'fr');
  await clickAndWait(page, page.getByRole('link', { name: fr('nav.reports'), exact: true }));
  await expectHeading(page, fr('report.list_title'));
  await audit(page, 'the area\'s quarterly reports, French');
  await page.locator('#field-year').fill('3000');
  let r = await clickAndWait(page, page.getByRole('button', { name: fr('report.generate_submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-year')), squash(fr('field.number_between', '2000', '2100')));
  await audit(page, 'generating a report with a field error, French');

  await clickAndWait(page, page.getByRole('link', { name: fr('report.quarter_label', String(before.quarter), String(before.year)), exact: true }));
  assert.ok((await text(page.locator('main'))).includes(squash(fr('report.status.draft'))));
  assert.ok((await text(page.locator('main'))).includes('Demandes de service reçues, selon la source'));
  await audit(page, 'a draft quarterly report, French');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('report.event.review'), exact: true }));
  assert.equal(r.status(), 200);
  r = await clickAndWait(page, page.getByRole('button', { name: fr('report.event.submit'), exact: true }));
  assert.equal(r.status(), 200);
  const submitted = await text(page.locator('main'));
  assert.ok(submitted.includes(squash(fr('report.status.submitted'))));
  assert.ok(submitted.includes(squash(fr('report.hash'))));
  assert.equal(await page.getByRole('button', { name: fr('report.event.reopen') }).count(), 0, 'a submitted report never changes');
  await audit(page, 'a submitted quarterly report, French');
  const csv = await page.request.get(new URL(page.url() + '/export.csv').href);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /"referrals_by_source"/);

  await clickAndWait(page, page.getByRole('link', { name: fr('report.back'), exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: fr('report.indicators_link'), exact: true }));
  await expectHeading(page, fr('report.indicators_title'));
  await audit(page, 'the area\'s indicators, French');
  await page.locator('#field-code').fill('paiements');
  await page.locator('#field-name_fr').fill('Paiements');
  await page.locator('#field-name_en').fill('Payments');
  await page.locator('#field-stream').selectOption('plan');
  await page.locator('#field-event').selectOption('receive');  // a referral's event, not a plan's
  r = await clickAndWait(page, page.getByRole('button', { name: fr('report.indicator_submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-event')), squash(fr('report.unknown_event')));
  await audit(page, 'an indicator with a field error, French');

  // The dashboard: each indicator drawn from the table beside it.
  await clickAndWait(page, page.getByRole('link', { name: fr('report.back'), exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: fr('report.dashboard_link'), exact: true }));
  await page.locator('figure[data-chart] canvas').first().waitFor();
  assert.equal(await page.locator('figure[data-chart] canvas').count(), await page.locator('figure[data-chart] table').count(),
    'a chart beside every table');
  await audit(page, 'the area\'s dashboard with its charts, French');

  const analyst = await track('en');
  await signIn(analyst, 'analyst@demo.arrimage.invalid', 'en');
  await clickAndWait(analyst, analyst.getByRole('link', { name: en('nav.reports'), exact: true }));
  const side = await text(analyst.locator('main'));
  for (const q of [last, before])
    assert.ok(side.includes(squash(en('report.quarter_label', String(q.quarter), String(q.year)))), `quarter ${q.quarter} of ${q.year}`);
  assert.ok(side.includes('Referrals received, by source'));
  await audit(analyst, 'every area\'s submitted reports side by side, English');
  await clickAndWait(analyst, analyst.locator('main th a').first());
  assert.ok((await text(analyst.locator('main'))).includes(squash(en('report.status.submitted'))));
  assert.equal(await analyst.getByRole('button').filter({ hasText: en('report.event.reopen') }).count(), 0);
  await audit(analyst, 'a submitted report as the ministry reads it, English');
});

// The agreements registry: the agency's administrator (in French) inventories the area's
// agreements, lists those due for review, records a partnership after a field error, adds its
// signed copy, activates it and evaluates it; Blue River's manager (in English) reads only the
// agreements their organisation is a party to; the ministry's analyst reads every area's and
// exports them.
scenario('the agency records, signs, activates and evaluates an agreement in French; a party and the analyst read it in English', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const en = (key, ...args) => t('en', key, ...args);
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

  const page = await track('fr');
  await signIn(page, 'ca.admin@demo.arrimage.invalid', 'fr');
  await clickAndWait(page, page.getByRole('link', { name: fr('nav.agreements'), exact: true }));
  await expectHeading(page, fr('agreement.list_title'));
  const rows = await page.locator('main table tbody tr').count();
  assert.ok(rows >= 8, `the demo's agreements are in the inventory (${rows})`);
  await audit(page, 'the area\'s agreements inventory, French');
  await page.locator('#field-review').selectOption('due');
  await clickAndWait(page, page.getByRole('button', { name: fr('agreement.filter_apply'), exact: true }));
  const due = await page.locator('main table tbody tr').count();
  assert.ok(due > 0 && due < rows, `the agreements due for review (${due} of ${rows})`);
  assert.ok((await text(page.locator('main table'))).includes(squash(fr('agreement.late'))), 'a late review is marked');
  await audit(page, 'the agreements due for review, French');
  // Whether new agreements are needed: each provider and participant against the agreement its
  // role asks for.
  await clickAndWait(page, page.getByRole('link', { name: fr('agreement.coverage_link'), exact: true }));
  await expectHeading(page, fr('agreement.coverage_title'));
  assert.ok(await page.locator('main table').first().locator('tbody tr').count() > 0, 'the area\'s providers and participants');
  await audit(page, 'whether new agreements are needed, French');
  await clickAndWait(page, page.getByRole('link', { name: fr('agreement.back'), exact: true }));
  await expectHeading(page, fr('agreement.list_title'));

  await clickAndWait(page, page.getByRole('link', { name: fr('agreement.new_link'), exact: true }));
  await expectHeading(page, fr('agreement.new_title'));
  await page.locator('#field-title_fr').fill('Entente de partenariat — ligne de crise et répit');
  await page.locator('#field-title_en').fill('Partnership agreement — crisis line and respite');
  await page.getByLabel(fr('agreement.kind.partnership'), { exact: true }).check();
  await page.getByLabel('Réseau communautaire Démo-Nord', { exact: true }).check();
  await page.getByLabel(fr('agreement.scope.referral'), { exact: true }).check();
  await page.getByLabel(fr('agreement.scope.joint_training'), { exact: true }).check();
  await page.locator('#field-effective_on').fill(day(0));
  await page.locator('#field-expires_on').fill(day(730));
  await page.locator('#field-review_due').fill(day(365));
  let r = await clickAndWait(page, page.getByRole('button', { name: fr('agreement.record_submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-parties')), squash(fr('agreement.two_parties')));
  await audit(page, 'recording an agreement with a field error, French');
  await page.getByLabel('Services à la famille Rivière-Bleue (fictif)', { exact: true }).check();
  r = await clickAndWait(page, page.getByRole('button', { name: fr('agreement.record_submit'), exact: true }));
  assert.equal(r.status(), 200);
  await expectHeading(page, 'Entente de partenariat — ligne de crise et répit');
  assert.ok((await text(page.locator('main'))).includes(squash(fr('agreement.status.draft'))));
  const agreementPath = new URL(page.url()).pathname;

  // The signed copy: a small PDF.
  await page.locator('#document-field-file').setInputFiles({
    name: 'entente signée.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  });
  r = await clickAndWait(page, page.getByRole('button', { name: fr('agreement.document_submit'), exact: true }));
  assert.equal(r.status(), 200);
  const link = page.getByRole('link', { name: 'entente signée.pdf', exact: true });
  assert.equal(await link.count(), 1, 'the signed copy is listed');
  const download = await page.request.get(new URL(await link.getAttribute('href'), page.url()).href);
  assert.equal(download.status(), 200);
  assert.match(download.headers()['content-disposition'], /^attachment; /);
  assert.ok((await download.body()).toString('latin1').startsWith('%PDF-1.4'));
  await audit(page, 'a draft agreement with its signed copy, French');

  r = await clickAndWait(page, page.getByRole('button', { name: fr('agreement.event.activate'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('main dl'))).includes(squash(fr('agreement.status.active'))));
  await page.locator('#evaluation-field-findings').fill('Les orientations vers la ligne de crise sont faites le jour même.');
  await page.getByLabel(fr('agreement.outcome.strengthen'), { exact: true }).check();
  await page.locator('#evaluation-field-next_review_due').fill(day(-1));
  r = await clickAndWait(page, page.getByRole('button', { name: fr('agreement.evaluation_submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#evaluation-error-next_review_due')), squash(fr('agreement.next_review_order')));
  await audit(page, 'an evaluation with a field error, French');
  await page.locator('#evaluation-field-next_review_due').fill(day(180));
  r = await clickAndWait(page, page.getByRole('button', { name: fr('agreement.evaluation_submit'), exact: true }));
  assert.equal(r.status(), 200);
  const evaluated = await text(page.locator('main'));
  assert.ok(evaluated.includes('Les orientations vers la ligne de crise sont faites le jour même.'));
  assert.ok(evaluated.includes(day(180)), 'the next review became the review date');
  await audit(page, 'an active agreement with its evaluation, French');

  const manager = await track('en');
  await signIn(manager, 'manager1@demo.arrimage.invalid', 'en');
  await clickAndWait(manager, manager.getByRole('link', { name: en('nav.agreements'), exact: true }));
  const theirs = await text(manager.locator('main table'));
  assert.ok(theirs.includes('Partnership agreement — crisis line and respite'), 'a party reads the new agreement');
  assert.ok(!theirs.includes('Fictional Maple Youth Centre'), 'and not an agreement it is not a party to');
  assert.equal(await manager.getByRole('link', { name: en('agreement.new_link') }).count(), 0, 'a party does not record agreements');
  await audit(manager, 'a provider\'s agreements, English');
  await clickAndWait(manager, manager.getByRole('link', { name: 'Partnership agreement — crisis line and respite', exact: true }));
  assert.equal(await manager.locator('main button').count(), 0, 'a party reads; nothing to do');
  await audit(manager, 'an agreement as a party reads it, English');

  const analyst = await track('en');
  await signIn(analyst, 'analyst@demo.arrimage.invalid', 'en');
  await clickAndWait(analyst, analyst.getByRole('link', { name: en('nav.agreements'), exact: true }));
  assert.ok((await text(analyst.locator('main table'))).includes('Partnership agreement — crisis line and respite'));
  await audit(analyst, 'every area\'s agreements, English');
  const csv = await analyst.request.get(new URL('/agreements/export.csv', analyst.url()).href);
  assert.equal(csv.status(), 200);
  assert.ok((await csv.text()).includes('Partnership agreement — crisis line and respite'));
  assert.equal((await analyst.request.get(new URL(agreementPath + '/edit', analyst.url()).href)).status(), 403);
});

// The network's governance: the agency's administrator (in French) logs a decision of the
// steering group after a field error, with Blue River as its follow-up owner, notes where it
// stands, starts it and schedules the next meeting; Blue River's manager (in English) follows the
// decision up, marks it done (its note required), finds it in the decisions log, and signs the
// working group's yearly report for their organisation; the ministry's analyst reads both
// committees without a form to change them.
scenario('the agency logs a governance decision with its follow-up in French; the owner follows it up and signs the yearly report in English', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const en = (key, ...args) => t('en', key, ...args);
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  // A value of a page's details (<dl>), by the exact words of its term.
  const detail = (p, term) => {
    const exactly = new RegExp('^' + term.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&') + '$');
    return text(p.locator('main dl > div').filter({ has: p.locator('dt', { hasText: exactly }) }).locator('dd'));
  };
  const steering = {
    fr: 'Comité directeur intersectoriel de la planification coordonnée des services — zone de démonstration Est',
    en: 'Cross-sectoral coordinated service planning steering group — Demo East Region',
  };
  const workingGroup = { fr: 'Groupe de travail sur la couverture estivale', en: 'Summer coverage working group' };
  const blueRiver = { fr: 'Services à la famille Rivière-Bleue (fictif)', en: 'Blue River Family Services (fictional)' };
  const decisionText = 'Préparer une fiche d\'information commune aux familles sur la planification coordonnée des services, en français et en anglais.';
  const dueOn = day(14);
  const meetingOn = day(30);

  const page = await track('fr');
  await signIn(page, 'ca.admin@demo.arrimage.invalid', 'fr');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: fr('nav.governance'), exact: true }));
  await expectHeading(page, fr('governance.list_title'));
  const committees = await text(page.locator('main table'));
  assert.ok(committees.includes(steering.fr) && committees.includes(workingGroup.fr), 'the area\'s two committees are listed');
  await audit(page, 'the area\'s committees, French');

  await clickAndWait(page, page.getByRole('link', { name: steering.fr, exact: true }));
  await expectHeading(page, steering.fr);
  const committeePath = new URL(page.url()).pathname;
  await audit(page, 'a steering group with its members, meetings, decisions and reports, French');

  // Everything but the follow-up owner: its field error, the rest kept.
  await page.locator('#decision-field-decision').fill(decisionText);
  await page.locator('#decision-field-decided_by').fill('Le comité directeur, par consensus');
  await page.locator('#decision-field-owner_person').fill('Robin Gestion-Démo');
  await page.locator('#decision-field-due_on').fill(dueOn);
  const logDecision = page.getByRole('button', { name: fr('governance.decision_submit'), exact: true });
  let r = await clickAndWait(page, logDecision);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#decision-error-owner')), squash(fr('governance.owner_required')));
  assert.equal(await page.locator('#decision-field-decision').inputValue(), decisionText, 'the decision is kept');
  assert.equal(await page.locator('#decision-field-due_on').inputValue(), dueOn, 'its due date is kept');
  await audit(page, 'logging a decision without its owner, French');

  await page.locator('#decision-field-owner').selectOption({ label: blueRiver.fr });
  r = await clickAndWait(page, logDecision);
  assert.equal(r.status(), 200);
  await expectPath(page, /^\/governance\/\d+\/decisions\/\d+$/);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('governance.decision_logged'))));
  const reference = (await text(page.locator('h1'))).slice(fr('governance.decision_heading', '').length);
  assert.match(reference, /^DEC-\d{4}-\d{4}$/);
  assert.equal(await detail(page, fr('governance.col.owner')), blueRiver.fr);
  assert.equal(await detail(page, fr('governance.col.due_on')), dueOn);
  assert.equal(await detail(page, fr('governance.col.status')), fr('governance.decision_status.open'));
  assert.ok((await text(page.locator('main'))).includes(squash(decisionText)));
  await audit(page, 'a decision just logged, French');

  const history = page.locator('div[role="region"][aria-labelledby="history-heading"] table');
  await page.locator('#follow-up-field-note').fill('Un premier jet est prêt; les deux conseils scolaires le relisent.');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('governance.follow_up_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('governance.followed_up'))));
  assert.ok((await text(history)).includes('Un premier jet est prêt; les deux conseils scolaires le relisent.'));
  await page.locator('#start-field-note').fill('Rivière-Bleue s\'en charge avec l\'agence.');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('governance.decision_event.start'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('governance.decision_done.start'))));
  assert.equal(await detail(page, fr('governance.col.status')), fr('governance.decision_status.in_progress'));
  assert.ok((await text(history)).includes(squash(fr('governance.decision_history.start'))));
  await audit(page, 'a decision in progress with its follow-up, French');

  // Back on the committee: the decision in its table; the next meeting scheduled.
  await clickAndWait(page, page.locator('main dl').getByRole('link', { name: steering.fr, exact: true }));
  await expectPath(page, committeePath);
  const row = page.locator('div[role="region"][aria-labelledby="decisions-heading"] tbody tr', { hasText: reference });
  assert.equal(await row.count(), 1, 'the new decision is in the committee\'s table');
  assert.ok((await text(row)).includes(fr('governance.decision_status.in_progress')));
  await page.locator('#meeting-field-held_on').fill(meetingOn);
  await page.locator('#meeting-field-location').fill('Agence de coordination Démo, salle du conseil');
  await page.locator('#meeting-field-agenda').fill('1. Adoption de l\'ordre du jour\n2. Fiche d\'information aux familles\n3. Varia');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('governance.meeting_submit'), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(page, /^\/governance\/\d+\/meetings\/\d+$/);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('governance.meeting_scheduled'))));
  await expectHeading(page, fr('governance.meeting_heading', meetingOn));
  assert.equal(await detail(page, fr('governance.col.status')), fr('governance.meeting_status.scheduled'));
  assert.ok((await text(page.locator('main'))).includes('Fiche d\'information aux familles'));
  await audit(page, 'a meeting scheduled, French');

  // Blue River's manager follows up the decision their organisation owns.
  const manager = await track('en');
  await signIn(manager, 'manager1@demo.arrimage.invalid', 'en');
  await clickAndWait(manager, manager.getByRole('navigation').getByRole('link', { name: en('nav.governance'), exact: true }));
  await expectHeading(manager, en('governance.list_title'));
  assert.equal(await manager.getByRole('link', { name: en('governance.new_link') }).count(), 0, 'a member does not create committees');
  await clickAndWait(manager, manager.getByRole('link', { name: steering.en, exact: true }));
  await expectHeading(manager, steering.en);
  assert.equal(await manager.getByRole('button', { name: en('governance.decision_submit') }).count(), 0, 'a member does not log decisions');
  await clickAndWait(manager, manager.getByRole('link', { name: reference, exact: true }));
  await expectHeading(manager, en('governance.decision_heading', reference));
  assert.equal(await detail(manager, en('governance.col.owner')), blueRiver.en);
  await manager.locator('#follow-up-field-note').fill('The sheet is translated; the school boards sent their comments.');
  r = await clickAndWait(manager, manager.getByRole('button', { name: en('governance.follow_up_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(manager.locator('body'))).includes(squash(en('governance.followed_up'))));
  const markDone = manager.getByRole('button', { name: en('governance.decision_event.complete'), exact: true });
  r = await clickAndWait(manager, markDone);
  assert.equal(r.status(), 422, 'done, without saying what was done');
  assert.equal(await text(manager.locator('#complete-error-note')), squash(en('field.required')));
  assert.equal(await detail(manager, en('governance.col.status')), en('governance.decision_status.in_progress'));
  await audit(manager, 'marking a decision done without its note, English');
  await manager.locator('#complete-field-note').fill('The sheet was sent to every member and is given to families at intake.');
  r = await clickAndWait(manager, markDone);
  assert.equal(r.status(), 200);
  assert.ok((await text(manager.locator('body'))).includes(squash(en('governance.decision_done.complete'))));
  assert.equal(await detail(manager, en('governance.col.status')), en('governance.decision_status.done'));
  const managerHistory = await text(manager.locator('div[role="region"][aria-labelledby="history-heading"] table'));
  assert.ok(managerHistory.includes('The sheet was sent to every member and is given to families at intake.'));
  assert.ok(managerHistory.includes('Un premier jet est prêt; les deux conseils scolaires le relisent.'), 'the agency\'s note too');
  assert.equal(await manager.locator('#follow-up-field-note').count(), 0, 'a decision done takes no more notes');
  assert.equal(await markDone.count(), 0);
  await audit(manager, 'a decision done, as its owner reads it, English');

  // The decisions log, filtered to those done.
  await clickAndWait(manager, manager.getByRole('navigation').getByRole('link', { name: en('nav.governance'), exact: true }));
  await clickAndWait(manager, manager.getByRole('link', { name: en('governance.log_link'), exact: true }));
  await expectHeading(manager, en('governance.log_title'));
  await manager.locator('#field-status').selectOption('done');
  r = await clickAndWait(manager, manager.getByRole('button', { name: en('governance.filter_apply'), exact: true }));
  assert.equal(r.status(), 200);
  const logged = manager.locator('main table tbody tr', { hasText: reference });
  assert.equal(await logged.count(), 1, 'the decision is in the log of those done');
  assert.ok((await text(logged)).includes(squash(decisionText)));
  const statuses = await manager.locator('main table tbody tr td:last-child').allInnerTexts();
  assert.ok(statuses.length > 0 && statuses.every((s) => squash(s) === en('governance.decision_status.done')),
    `only decisions done are listed (${statuses.join(', ')})`);
  await audit(manager, 'the decisions log filtered to those done, English');
  const csvHref = await manager.getByRole('link', { name: en('governance.csv'), exact: true }).getAttribute('href');
  assert.match(csvHref, /[?&]status=done(&|$)/, 'the export keeps the filter');
  const csv = await manager.request.get(new URL(csvHref, manager.url()).href);
  assert.equal(csv.status(), 200);
  assert.ok((await csv.text()).includes(reference));

  // The working group's yearly report, circulating: Blue River signs it.
  await clickAndWait(manager, manager.getByRole('navigation').getByRole('link', { name: en('nav.governance'), exact: true }));
  await clickAndWait(manager, manager.getByRole('link', { name: workingGroup.en, exact: true }));
  const circulating = manager.locator('div[role="region"][aria-labelledby="reports-heading"] tbody tr',
    { hasText: en('governance.report_status.circulating') });
  const year = await text(circulating.getByRole('link'));
  await clickAndWait(manager, circulating.getByRole('link'));
  await expectHeading(manager, en('governance.report_heading', year, workingGroup.en));
  const ours = manager.locator('div[role="region"][aria-labelledby="signatures-heading"] tbody tr', { hasText: blueRiver.en });
  assert.ok((await text(ours)).includes(en('governance.awaited')));
  await audit(manager, 'a yearly report awaiting a member\'s signature, English');
  const sign = manager.getByRole('button', { name: en('governance.sign_for', blueRiver.en), exact: true });
  r = await clickAndWait(manager, sign);
  assert.equal(r.status(), 200);
  assert.ok((await text(manager.locator('body'))).includes(squash(en('governance.report_signed'))));
  const signed = await text(ours);
  assert.ok(signed.includes(en('governance.signed')) && signed.includes('Robin Gestion-Démo'), `the signature is recorded (${signed})`);
  assert.equal(await sign.count(), 0, 'signed once');
  await audit(manager, 'a yearly report signed by a member, English');

  // The ministry's analyst reads both committees; nothing to change.
  const analyst = await track('en');
  await signIn(analyst, 'analyst@demo.arrimage.invalid', 'en');
  await clickAndWait(analyst, analyst.getByRole('navigation').getByRole('link', { name: en('nav.governance'), exact: true }));
  await expectHeading(analyst, en('governance.list_title'));
  const read = await text(analyst.locator('main table'));
  assert.ok(read.includes(steering.en) && read.includes(workingGroup.en), 'the analyst reads both committees');
  assert.equal(await analyst.getByRole('link', { name: en('governance.new_link') }).count(), 0);
  await audit(analyst, 'every area\'s committees, English');
  await clickAndWait(analyst, analyst.getByRole('link', { name: steering.en, exact: true }));
  await expectHeading(analyst, steering.en);
  assert.ok((await text(analyst.locator('div[role="region"][aria-labelledby="decisions-heading"]'))).includes(reference));
  assert.equal(await analyst.getByRole('button', { name: en('governance.decision_submit') }).count(), 0, 'no decision to log');
  assert.equal(await analyst.locator('main form').count(), 0, 'the analyst reads; nothing to do');
  await audit(analyst, 'a steering group as the ministry reads it, English');
});

// ---------------------------------------------------------------- complaints

// The area's register of complaints, worked once in each language, in two scenarios (each within
// the harness's time for one): a parent, signed out, makes a complaint from the footer's link on
// the public form (the area first when there are several; field errors in the page's language on
// an empty send) and keeps its reference; the agency's administrator finds it in the register and
// reads it. Then the administrator triages it (after a field error: no owner), names an owner
// among the agency's staff, acknowledges it, records a step, and resolves it (after a field error:
// no resolution); the complaint reads resolved, with every move in its history.
const raisedComplaints = {};  // by language: {reference, path} of the complaint raised

// A value of a complaint's details (<dl>), by the exact words of its term.
function complaintDetail(p, term) {
  const exactly = new RegExp('^' + term.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&') + '$');
  return text(p.locator('main dl > div').filter({ has: p.locator('dt', { hasText: exactly }) }).locator('dd'));
}

async function complaintRaised(track, lang, c) {
  const tr = (key, ...args) => t(lang, key, ...args);
  const language = lang === 'fr' ? 'French' : 'English';
  const detail = complaintDetail;

  // The visitor, signed out: the footer's link on the home page.
  const visitor = await track(lang);
  await goto(visitor, '/');
  assert.equal(await htmlLang(visitor), lang);
  await audit(visitor, `the home page, signed out, ${language}`);
  await clickAndWait(visitor, visitor.locator('footer').getByRole('link', { name: tr('complaint.make_link'), exact: true }));
  await expectPath(visitor, '/complaints/new');
  await expectHeading(visitor, tr('complaint.new_title'));
  if (await visitor.locator('select#area').count()) {
    await audit(visitor, `the public complaint form asking for the area, ${language}`);
    await visitor.locator('select#area').selectOption({ label: c.area });
    await clickAndWait(visitor, visitor.getByRole('button', { name: tr('complaint.area_submit'), exact: true }));
  }
  assert.ok((await text(visitor.locator('main'))).includes(squash(tr('complaint.area_line', c.area))), 'the area is said');
  assert.ok(await visitor.locator('#field-preferred_lang input[type="radio"][value="' + lang + '"]').isChecked(),
    'answers in the page\'s language by default');
  await audit(visitor, `the public complaint form, ${language}`);

  const send = visitor.getByRole('button', { name: tr('complaint.submit'), exact: true });
  let r = await clickAndWait(visitor, send);
  assert.equal(r.status(), 422, 'an empty complaint is refused');
  assert.equal(await htmlLang(visitor), lang);
  assert.equal(await text(visitor.locator('#error-kind')), squash(tr('field.required')));
  assert.equal(await text(visitor.locator('#error-category')), squash(tr('complaint.category_required')));
  assert.equal(await text(visitor.locator('#error-description')), squash(tr('field.required')));
  assert.ok((await text(visitor.locator('.arr-error-summary'))).startsWith(squash(tr('form.error_summary'))));
  await audit(visitor, `the public complaint form with field errors, ${language}`);

  await visitor.locator('#field-kind').getByRole('radio', { name: tr('complaint.kind.complaint'), exact: true }).check();
  await visitor.locator('#field-category').getByRole('radio', { name: tr(`complaint.category.${c.category}`), exact: true }).check();
  await visitor.locator('#field-about_organisation').selectOption({ label: c.about });
  await visitor.locator('#field-description').fill(c.description);
  await visitor.locator('#field-desired_outcome').fill(c.outcome);
  await visitor.locator('#field-name').fill(c.name);
  await visitor.locator('#field-relation').getByRole('radio', { name: tr(`complaint.relation.${c.relation}`), exact: true }).check();
  await visitor.locator('#field-email').fill(c.email);
  r = await clickAndWait(visitor, send);
  assert.equal(r.status(), 200);
  await expectHeading(visitor, tr('complaint.sent_title'));
  const sent = await text(visitor.locator('main'));
  const reference = (sent.match(/CMP-\d{4}-\d{4}/) || [])[0];
  assert.ok(reference, `the confirmation gives a reference (${sent.slice(0, 200)})`);
  assert.ok(sent.includes(squash(tr('complaint.sent_reference', reference))));
  assert.ok(sent.includes(squash(tr('complaint.sent_next_contact'))), 'a name with an email is answered');
  await audit(visitor, `a complaint sent, with its reference, ${language}`);

  // The agency's administrator: the register, then the complaint.
  const admin = await track(lang);
  await signIn(admin, 'ca.admin@demo.arrimage.invalid', lang);
  await clickAndWait(admin, admin.getByRole('navigation').getByRole('link', { name: tr('nav.complaints'), exact: true }));
  await expectHeading(admin, tr('complaint.list_title'));
  const row = admin.locator('main table tbody tr', { hasText: reference });
  assert.equal(await row.count(), 1, 'the new complaint is in the area\'s register');
  const cells = await text(row);
  assert.ok(cells.includes(tr('complaint.status.received')) && cells.includes(tr('complaint.not_triaged')), cells);
  await audit(admin, `the area's register of complaints, ${language}`);

  await clickAndWait(admin, row.getByRole('link', { name: reference, exact: true }));
  await expectPath(admin, /^\/complaints\/\d+$/);
  await expectHeading(admin, tr('complaint.heading.complaint', reference));
  const complaintPath = new URL(admin.url()).pathname;
  const main = await text(admin.locator('main'));
  assert.ok(main.includes(squash(c.description)), 'what happened, as typed');
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.received'));
  assert.equal(await detail(admin, tr('complaint.col.source')), tr('complaint.source.public'));
  assert.equal(await detail(admin, tr('complaint.col.about')), c.about);
  assert.equal(await detail(admin, tr('complaint.col.name')), c.name);
  assert.equal(await detail(admin, tr('complaint.col.email')), c.email);
  assert.equal(await detail(admin, tr('complaint.col.lang')), t(lang, 'lang.self'));
  await audit(admin, `a complaint received, as the agency reads it, ${language}`);
  raisedComplaints[lang] = { reference, path: complaintPath };
}

async function complaintResolved(track, lang, c) {
  const tr = (key, ...args) => t(lang, key, ...args);
  const language = lang === 'fr' ? 'French' : 'English';
  const detail = complaintDetail;
  const raised = raisedComplaints[lang];
  assert.ok(raised, 'the complaint raised in the scenario before');
  const { reference, path: complaintPath } = raised;
  const admin = await track(lang);
  await signIn(admin, 'ca.admin@demo.arrimage.invalid', lang);
  await goto(admin, complaintPath);
  await expectHeading(admin, tr('complaint.heading.complaint', reference));

  // Triage: without an owner, its field error, the rest kept; then the owner.
  const triage = admin.locator('section[aria-labelledby="action-triage"]');
  await triage.locator('#triage-field-category').selectOption(c.triagedCategory);
  await triage.getByRole('radio', { name: tr(`complaint.severity.${c.severity}`), exact: true }).check();
  const triageSubmit = triage.getByRole('button', { name: tr('complaint.submit_event.triage'), exact: true });
  let r = await clickAndWait(admin, triageSubmit);
  assert.equal(r.status(), 422, 'triage without an owner');
  assert.equal(await text(admin.locator('#triage-error-owner')), squash(tr('complaint.owner_required')));
  assert.equal(await admin.locator('#triage-field-category').inputValue(), c.triagedCategory, 'the category is kept');
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.received'));
  await audit(admin, `triaging a complaint without its owner, ${language}`);
  await admin.locator('#triage-field-owner').selectOption({ label: c.owner });
  if (!(await admin.locator(`#triage-field-severity input[value="${c.severity}"]`).isChecked()))
    await admin.locator('#triage-field-severity').getByRole('radio', { name: tr(`complaint.severity.${c.severity}`), exact: true }).check();
  r = await clickAndWait(admin, admin.getByRole('button', { name: tr('complaint.submit_event.triage'), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(admin, complaintPath);
  assert.ok((await text(admin.locator('body'))).includes(squash(tr('complaint.done.triage'))));
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.triaged'));
  assert.equal(await detail(admin, tr('complaint.col.category')), tr(`complaint.category.${c.triagedCategory}`));
  assert.equal(await detail(admin, tr('complaint.col.severity')), tr(`complaint.severity.${c.severity}`));
  assert.equal(await detail(admin, tr('complaint.col.owner')), c.owner);
  await audit(admin, `a complaint triaged, with its owner, ${language}`);

  // Acknowledged, with what the complainant was told.
  await admin.locator('#acknowledge-field-note').fill(c.acknowledgement);
  r = await clickAndWait(admin, admin.getByRole('button', { name: tr('complaint.submit_event.acknowledge'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(admin.locator('body'))).includes(squash(tr('complaint.done.acknowledge'))));
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.acknowledged'));
  await audit(admin, `a complaint acknowledged, ${language}`);

  // A step taken.
  await admin.locator('#step-field-note').fill(c.step);
  r = await clickAndWait(admin, admin.getByRole('button', { name: tr('complaint.step_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(admin.locator('body'))).includes(squash(tr('complaint.step_added'))));
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.acknowledged'), 'a step is no move');
  await audit(admin, `a complaint with a step taken, ${language}`);

  // Resolved: without the resolution, its field error; then with it.
  const resolve = admin.getByRole('button', { name: tr('complaint.submit_event.resolve'), exact: true });
  r = await clickAndWait(admin, resolve);
  assert.equal(r.status(), 422, 'resolved without saying how');
  assert.equal(await text(admin.locator('#resolve-error-note')), squash(tr('field.required')));
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.acknowledged'));
  await audit(admin, `resolving a complaint without its resolution, ${language}`);
  await admin.locator('#resolve-field-note').fill(c.resolution);
  r = await clickAndWait(admin, resolve);
  assert.equal(r.status(), 200);
  assert.ok((await text(admin.locator('body'))).includes(squash(tr('complaint.done.resolve'))));

  // Resolved, with its resolution; nothing awaited from the agency; every move in its history.
  assert.equal(await detail(admin, tr('complaint.col.status')), tr('complaint.status.resolved'));
  assert.equal(await detail(admin, tr('complaint.col.deadline')), squash(tr('complaint.no_deadline')));
  assert.ok(await detail(admin, tr('complaint.col.appeal_until')), 'the last day to appeal is shown');
  assert.ok((await text(admin.locator('main'))).includes(squash(c.resolution)));
  assert.equal(await admin.getByRole('button', { name: tr('complaint.submit_event.resolve'), exact: true }).count(), 0);
  const history = admin.locator('div[role="region"][aria-labelledby="history-heading"] table tbody tr');
  const moves = (await history.locator('td:nth-child(2)').allInnerTexts()).map(squash);
  assert.deepEqual(moves, ['receive', 'triage', 'acknowledge', 'step', 'resolve'].map((e) => squash(tr(`complaint.event.${e}`))),
    'the history lists every move in order');
  const statuses = (await history.locator('td:nth-child(3)').allInnerTexts()).map(squash);
  assert.deepEqual(statuses, ['received', 'triaged', 'acknowledged', 'acknowledged', 'resolved'].map((s) => squash(tr(`complaint.status.${s}`))),
    'each with the status it left the complaint in');
  const notes = await text(admin.locator('div[role="region"][aria-labelledby="history-heading"]'));
  for (const note of [c.acknowledgement, c.step, c.resolution]) assert.ok(notes.includes(squash(note)), note);
  await audit(admin, `a complaint resolved, with its history, ${language}`);

  // The register, filtered to those resolved.
  await clickAndWait(admin, admin.getByRole('link', { name: tr('complaint.back'), exact: true }).first());
  await admin.locator('#field-status').selectOption('resolved');
  r = await clickAndWait(admin, admin.getByRole('button', { name: tr('complaint.filter_apply'), exact: true }));
  assert.equal(r.status(), 200);
  const resolvedRow = admin.locator('main table tbody tr', { hasText: reference });
  assert.equal(await resolvedRow.count(), 1, 'the complaint is among those resolved');
  const resolvedCells = await text(resolvedRow);
  assert.ok(resolvedCells.includes(tr('complaint.status.resolved')) && resolvedCells.includes(c.owner), resolvedCells);
  await audit(admin, `the register of complaints filtered to those resolved, ${language}`);
}

const complaintsByLang = {
  fr: {
    area: 'Zone de démonstration Est',
    category: 'wait_times',
    about: 'Services à la famille Rivière-Bleue (fictif)',
    description: 'Nous attendons depuis quatre mois un premier rendez-vous en ergothérapie pour notre fils.\nPersonne ne nous rappelle.',
    outcome: 'Une date de rendez-vous, et des nouvelles une fois par mois.',
    name: 'Sylvie Exemple-Démo',
    relation: 'parent',
    email: 'sylvie.exemple@demo.arrimage.invalid',
    triagedCategory: 'wait_times',
    severity: 'high',
    owner: 'Noa Coordination-Démo',
    acknowledgement: 'Appel à Mme Exemple-Démo : plainte reçue, réponse d\'ici deux semaines.',
    step: 'Appel à Rivière-Bleue : la demande avait été classée par erreur.',
    resolution: 'La demande est remise à son rang d\'origine; un premier rendez-vous est fixé dans trois semaines. Rivière-Bleue revoit son classement des demandes.',
  },
  // The complainant's category corrected at triage, and another owner: the privacy officer.
  en: {
    area: 'Demo East Region',
    category: 'communication',
    about: 'Fictional Maple Youth Centre',
    description: 'Nobody told us the respite weekend was cancelled.\nWe found out at the door.',
    outcome: 'To be told of changes at least a day before.',
    name: 'Jamie Sample-Demo',
    relation: 'caregiver',
    email: 'jamie.sample@demo.arrimage.invalid',
    triagedCategory: 'coordination',
    severity: 'medium',
    owner: 'Pat Vieprivée-Démo',
    acknowledgement: 'Emailed Jamie: received, an answer within two weeks.',
    step: 'Met the youth centre and the respite provider: the cancellation was sent to an old address.',
    resolution: 'The youth centre now confirms every family\'s contact details before each weekend and calls the family when one is cancelled. An apology was sent.',
  },
};

for (const [lang, language] of [['fr', 'French'], ['en', 'English']]) {
  scenario(`a parent makes a complaint from the footer, signed out, and the agency finds it in its register, in ${language}`,
    ({ track }) => complaintRaised(track, lang, complaintsByLang[lang]));
  scenario(`the agency triages, acknowledges and resolves the parent's complaint, its history listing every move, in ${language}`,
    ({ track }) => complaintResolved(track, lang, complaintsByLang[lang]));
}

// ---------------------------------------------------------------- where the network stands

// The agency's administrator (in French) follows the area's integration maturity: the history's
// chart is drawn from the table beside it, one row per assessment; a new assessment is sent
// first without one dimension's level and another's evidence (their errors in the summary and on
// the fields, what was typed kept), then complete; the history then compares it with the one
// before, each dimension's movement said in words.
scenario('the agency records an integration maturity assessment after field errors and compares it with the previous one, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const subject = fr('network.maturity.subject_area', 'Zone de démonstration Est');
  const dimension = (code) => fr(`network.maturity.dimension.${code}`);
  const mark = (code) => fr(`network.maturity.mark.${code}`);
  const rank = { fragmented: 1, cooperation: 2, coordination: 3, collaboration: 4, integrated: 5 };
  // The new assessment against the demo's last (collaboration for entry points, information
  // exchange and clientele; coordination for the rest; three marks held, not consumer focus).
  const answers = [
    { code: 'entry_points', level: 'collaboration', movement: 'same',
      evidence: 'Un seul formulaire d\'orientation; le point d\'accès du secteur nord est ouvert chaque mois.' },
    { code: 'information_exchange', level: 'integrated', movement: 'up',
      evidence: 'Les rapports d\'évaluation du centre de traitement passent par Arrimage, selon la nouvelle entente.' },
    { code: 'management', level: 'collaboration', movement: 'up',
      evidence: 'La garde estivale des trois fournisseurs est gérée en commun.' },
    { code: 'funding', level: 'cooperation', movement: 'down',
      evidence: 'Le partage des frais de la formation commune a cessé : chaque organisme paie sa part.' },
    { code: 'equipment', level: 'coordination', movement: 'same',
      evidence: 'Prêt de salles et de matériel de visioconférence, comme l\'an dernier.' },
    { code: 'clientele', level: 'collaboration', movement: 'same',
      evidence: 'Une seule équipe de dossier pour chaque enfant dont les besoins touchent plusieurs secteurs.' },
  ];
  const marks = [
    { code: 'multidisciplinary_teams', evidence: 'Les rencontres de plan réunissent la famille, l\'école et les fournisseurs.' },
    { code: 'consumer_focused', evidence: 'Deux parents siègent au comité directeur depuis le printemps.' },
  ];

  const page = await track('fr');
  await signIn(page, 'ca.admin@demo.arrimage.invalid', 'fr');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: fr('nav.network'), exact: true }));
  await expectPath(page, '/network');
  await expectHeading(page, fr('network.home.title'));
  await audit(page, 'the network\'s landing page, French');
  await clickAndWait(page, page.getByRole('link', { name: fr('network.home.maturity_link'), exact: true }));
  await expectHeading(page, fr('network.maturity.title'));
  await audit(page, 'the areas and partnerships assessed, French');
  await clickAndWait(page, page.getByRole('link', { name: subject, exact: true }));
  await expectPath(page, '/network/maturity/history');
  await expectHeading(page, fr('network.maturity.history_heading', subject));
  // The chart, drawn from its table: one row per assessment, as many as the list below.
  const chart = page.locator('figure[data-chart="line"]');
  await chart.locator('canvas').waitFor();
  const chartRows = chart.locator('table tbody tr');
  const listRows = page.locator('div[role="region"][aria-labelledby="maturity-assessments-heading"] tbody tr');
  const before = await chartRows.count();
  assert.ok(before >= 3, `the demo's assessments of the area (${before})`);
  assert.equal(await listRows.count(), before, 'one row of the chart\'s table per assessment');
  assert.equal(await chart.locator('table thead th').count(), 1 + answers.length + 2, 'the date, six dimensions, the score and the stage');
  await audit(page, 'an area\'s integration maturity history with its chart, French');

  // Sent without the clientele's level and the funding's evidence.
  await clickAndWait(page, page.getByRole('link', { name: fr('network.maturity.new_for_subject'), exact: true }));
  await expectHeading(page, fr('network.maturity.new_title'));
  assert.equal(await page.locator('#field-subject').inputValue(), 'area', 'the subject comes chosen');
  const assessedOn = await page.locator('#field-assessed_on').inputValue();
  assert.match(assessedOn, /^\d{4}-\d{2}-\d{2}$/, 'dated today');
  await audit(page, 'recording an integration maturity assessment, French');
  for (const a of answers) {
    if (a.code !== 'clientele')
      await page.locator(`#dimension-${a.code}`).getByRole('radio', { name: fr(`network.maturity.level.${a.level}`), exact: true }).check();
    if (a.code !== 'funding') await page.locator(`#field-evidence_${a.code}`).fill(a.evidence);
  }
  for (const m of marks) {
    await page.getByRole('checkbox', { name: mark(m.code), exact: true }).check();
    await page.locator(`#field-mark_evidence_${m.code}`).fill(m.evidence);
  }
  const record = page.getByRole('button', { name: fr('network.maturity.record_submit'), exact: true });
  let r = await clickAndWait(page, record);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-level_clientele')), squash(fr('network.maturity.level_required')));
  assert.equal(await text(page.locator('#error-evidence_funding')), squash(fr('network.maturity.evidence_required')));
  const summary = page.locator('.arr-error-summary');
  assert.ok((await text(summary)).startsWith(squash(fr('form.error_summary'))));
  assert.deepEqual((await summary.locator('li').allInnerTexts()).map(squash).sort(), [
    fr('network.maturity.error_item', fr('network.maturity.field.evidence_for', dimension('funding')), fr('network.maturity.evidence_required')),
    fr('network.maturity.error_item', dimension('clientele'), fr('network.maturity.level_required')),
  ].map(squash).sort(), 'each error names its field');
  assert.equal(await page.locator('#field-evidence_funding').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#dimension-clientele').getAttribute('aria-describedby'), 'error-level_clientele');
  assert.equal(await page.locator('#field-evidence_entry_points').inputValue(), answers[0].evidence, 'the evidence typed is kept');
  assert.ok(await page.locator('#dimension-information_exchange').getByRole('radio', { name: fr('network.maturity.level.integrated'), exact: true }).isChecked(),
    'the levels chosen are kept');
  assert.ok(await page.getByRole('checkbox', { name: mark('consumer_focused'), exact: true }).isChecked(), 'the marks too');
  await audit(page, 'an integration maturity assessment with field errors, French');

  await page.locator('#dimension-clientele').getByRole('radio', { name: fr('network.maturity.level.collaboration'), exact: true }).check();
  await page.locator('#field-evidence_funding').fill(answers[3].evidence);
  r = await clickAndWait(page, record);
  assert.equal(r.status(), 200);
  await expectPath(page, /^\/network\/maturity\/\d+$/);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('network.maturity.recorded'))));
  await expectHeading(page, fr('network.maturity.assessment_heading', subject, assessedOn));
  const levels = page.locator('div[role="region"][aria-labelledby="assessment-levels-heading"] tbody tr');
  for (const a of answers) {
    const row = await text(levels.filter({ has: page.locator('th', { hasText: dimension(a.code) }) }));
    assert.ok(row.includes(squash(fr('network.maturity.level_value', String(rank[a.level]), fr(`network.maturity.level.${a.level}`)))), row);
    assert.ok(row.includes(squash(fr(`network.maturity.describe.${a.code}.${a.level}`))), `what the level means: ${row}`);
    assert.ok(row.includes(squash(a.evidence)), row);
  }
  assert.equal(await complaintDetail(page, fr('network.maturity.col.marks_held')), fr('network.maturity.marks_held_value', '2', '4'));
  await audit(page, 'an integration maturity assessment just recorded, French');

  // From the history: the new assessment against the one before (the form's default choice).
  await clickAndWait(page, page.getByRole('link', { name: fr('network.maturity.back_history'), exact: true }));
  assert.equal(await chartRows.count(), before + 1, 'the new assessment in the chart\'s table');
  assert.equal(await text(listRows.first().locator('th')), assessedOn, 'first in the list, most recent first');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('network.maturity.compare_submit'), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(page, '/network/maturity/compare');
  await expectHeading(page, fr('network.maturity.compare_heading', subject));
  assert.equal(await complaintDetail(page, fr('network.maturity.later')), assessedOn);
  const moves = page.locator('div[role="region"][aria-labelledby="compare-levels-heading"] tbody tr');
  assert.equal(await moves.count(), answers.length);
  for (const a of answers) {
    const row = moves.filter({ has: page.locator('th', { hasText: dimension(a.code) }) });
    assert.equal(await text(row.locator('td').last()), fr(`network.maturity.movement.${a.movement}`), `${a.code} in words`);
  }
  const gained = (await page.locator('ul[aria-labelledby="compare-gained-heading"] li').allInnerTexts()).map(squash);
  assert.deepEqual(gained, [mark('consumer_focused')]);
  const lost = (await page.locator('ul[aria-labelledby="compare-lost-heading"] li').allInnerTexts()).map(squash).sort();
  assert.deepEqual(lost, [mark('collective_decision_body'), mark('formal_agreements')].sort());
  await audit(page, 'two integration maturity assessments compared, French');
});

// Blue River's manager (in English) opens the area's network map: the graph is drawn from the
// organisations' table beside it; filtered to the lapsed organisations, the treatment centre,
// whose agreement expired (its new one still a draft), stands out in words; a filter value that
// is not in its list is answered with the field's error.
scenario('a provider manager finds the lapsed organisations on the network map, and a bad filter in the address is a field error, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const lapsedCentre = 'Demo Children\'s Treatment Centre';

  const page = await track('en');
  await signIn(page, 'manager1@demo.arrimage.invalid', 'en');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: en('nav.network'), exact: true }));
  await expectHeading(page, en('network.home.title'));
  await audit(page, 'the network\'s landing page, English');
  await clickAndWait(page, page.getByRole('link', { name: en('network.home.map_link'), exact: true }));
  await expectPath(page, '/network/map');
  await expectHeading(page, en('network.map.title'));
  await page.locator('figure[data-network-map] .arr-chart__canvas canvas').first().waitFor();
  const rows = page.locator('table[data-map-nodes] tbody tr');
  const all = await rows.count();
  assert.ok(all > 5, `the area's organisations (${all})`);
  await audit(page, 'the area\'s network map, English');

  await page.locator('#field-standing').selectOption('lapsed');
  let r = await clickAndWait(page, page.getByRole('button', { name: en('network.map.filter_apply'), exact: true }));
  assert.equal(r.status(), 200);
  const lapsed = await rows.count();
  assert.ok(lapsed > 0 && lapsed < all, `the lapsed organisations (${lapsed} of ${all})`);
  const standings = (await rows.locator('td:nth-child(3)').allInnerTexts()).map(squash);
  assert.ok(standings.every((s) => s === en('network.map.standing.lapsed')), `only lapsed organisations (${standings.join(', ')})`);
  const centre = rows.filter({ has: page.locator('th', { hasText: lapsedCentre }) });
  assert.equal(await centre.count(), 1, 'the treatment centre stands out');
  assert.equal(await text(centre.locator('td:nth-child(3)')), en('network.map.standing.lapsed'));
  assert.equal(await centre.getAttribute('data-label'), en('network.map.marked_label', lapsedCentre, en('network.map.marker.lapsed')),
    'the drawing names its standing too');
  await audit(page, 'the network map filtered to the lapsed organisations, English');

  r = await goto(page, '/network/map?standing=stranded');
  assert.equal(r.status(), 422);
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await text(page.locator('#error-standing')), squash(en('field.choose_from_list')));
  assert.equal(await page.locator('#field-standing').getAttribute('aria-invalid'), 'true');
  assert.ok((await text(page.locator('.arr-error-summary'))).includes(squash(en('field.choose_from_list'))));
  assert.equal(await rows.count(), all, 'the whole map under the error');
  await audit(page, 'the network map with a bad filter value, English');
});

// The community plans registry: the agency's administrator (in English) reads the demo's plans
// with where each review stands in words, records a plan (after field errors) and approves it
// (its next review five years on), retires another (after the error of a missing reason); then,
// in French, finds the reminder of a review due soon in their notifications.
scenario('the agency records, approves and retires community plans in English, and finds a review reminder in French', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const fr = (key, ...args) => t('fr', key, ...args);
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  const inYears = (n) => {
    const d = new Date(`${day(0)}T12:00:00Z`);
    d.setUTCFullYear(d.getUTCFullYear() + n);
    return d.toISOString().slice(0, 10);
  };
  const detail = complaintDetail;
  const childrens = { fr: 'Plan des services à l\'enfance — Est démo', en: 'Demo East children\'s services plan' };
  const health = 'Population health management and equity plan — Demo East OHT';
  const retired = 'Child welfare redesign';
  const created = {
    fr: 'Plan d\'action pour la santé mentale des jeunes — Est démo',
    en: 'Demo East youth mental health action plan',
    owner: 'Table de concertation jeunesse Est (fictive) / East Youth Round Table (fictional)',
  };

  const page = await track('en');
  await signIn(page, 'ca.admin@demo.arrimage.invalid', 'en');
  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: en('nav.network'), exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: en('network.home.plans_link'), exact: true }));
  await expectPath(page, '/network/plans');
  await expectHeading(page, en('network.plan.list_title'));
  const rows = page.locator('main table tbody tr');
  const count = await rows.count();
  assert.ok(count >= 7, `the demo's plans (${count})`);
  const rowOf = (title) => rows.filter({ has: page.getByRole('link', { name: title, exact: true }) });
  const dueSoon = await text(rowOf(childrens.en));
  assert.ok(dueSoon.includes(en('network.plan.review.due_soon')), `a review due soon, in words: ${dueSoon}`);
  const reference = (dueSoon.match(/PLC-\d{4}-\d{4}/) || [])[0];
  const reviewOn = (dueSoon.match(/\d{4}-\d{2}-\d{2}/) || [])[0];
  assert.ok(reference && reviewOn, dueSoon);
  const overdue = await text(rowOf(health));
  assert.ok(overdue.includes(en('network.plan.review.overdue')), `an overdue review, in words: ${overdue}`);
  await audit(page, 'the community plans registry, English');

  // Recorded after its field errors: only its French title given.
  await clickAndWait(page, page.getByRole('link', { name: en('network.plan.new_link'), exact: true }));
  await expectHeading(page, en('network.plan.new_title'));
  const ownArea = page.locator('#field-areas').getByRole('checkbox', { name: 'Demo East Region', exact: true });
  assert.ok(await ownArea.isChecked(), 'the administrator\'s own area comes checked');
  await audit(page, 'recording a community plan, English');
  await page.locator('#field-title_fr').fill(created.fr);
  const recordPlan = page.getByRole('button', { name: en('network.plan.record_submit'), exact: true });
  let r = await clickAndWait(page, recordPlan);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#error-title_en')), squash(en('field.required')));
  assert.equal(await text(page.locator('#error-kind')), squash(en('field.required')));
  assert.equal(await text(page.locator('#error-owner_organisation')), squash(en('network.plan.owner_required')));
  assert.equal(await text(page.locator('#error-cycle')), squash(en('field.required')));
  assert.ok((await text(page.locator('.arr-error-summary'))).startsWith(squash(en('form.error_summary'))));
  assert.equal(await page.locator('#field-title_fr').inputValue(), created.fr, 'the French title is kept');
  assert.ok(await ownArea.isChecked(), 'and the area');
  await audit(page, 'a community plan with field errors, English');
  await page.locator('#field-title_en').fill(created.en);
  await page.locator('#field-kind').selectOption('other');
  await page.locator('#field-owner_name').fill(created.owner);
  await page.locator('#field-cycle').getByRole('radio', { name: en('network.plan.cycle.every_5_years'), exact: true }).check();
  r = await clickAndWait(page, recordPlan);
  assert.equal(r.status(), 200);
  await expectPath(page, /^\/network\/plans\/\d+$/);
  await expectHeading(page, created.en);
  assert.ok((await text(page.locator('body'))).includes(squash(en('network.plan.recorded'))));
  assert.equal(await detail(page, en('network.plan.col.status')), en('network.plan.status.in_development'));
  assert.equal(await detail(page, en('network.plan.col.owner')), created.owner);
  assert.equal(await detail(page, en('network.plan.col.cycle')), en('network.plan.cycle.every_5_years'));
  await audit(page, 'a community plan just recorded, English');

  // Approved today: its next review five years on.
  await page.locator('#approve-field-approved_on').fill(day(0));
  r = await clickAndWait(page, page.getByRole('button', { name: en('network.plan.event.approve'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('network.plan.done.approve'))));
  assert.equal(await detail(page, en('network.plan.col.status')), en('network.plan.status.approved'));
  assert.equal(await detail(page, en('network.plan.col.approved_on')), day(0));
  assert.equal(await detail(page, en('network.plan.col.next_review')), `${inYears(5)} — ${en('network.plan.review.upcoming')}`);
  await audit(page, 'a community plan approved, its next review five years on, English');

  // Another retired: without its reason, the error; then with it.
  await clickAndWait(page, page.getByRole('link', { name: en('network.plan.back'), exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: retired, exact: true }));
  await expectHeading(page, retired);
  const retire = page.getByRole('button', { name: en('network.plan.event.retire'), exact: true });
  r = await clickAndWait(page, retire);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#retire-error-note')), squash(en('field.required')));
  assert.equal(await detail(page, en('network.plan.col.status')), en('network.plan.status.approved'), 'nothing changed');
  await audit(page, 'retiring a community plan without its reason, English');
  await page.locator('#retire-field-note').fill('The redesign is now in place; its effects are followed in the children\'s services plan.');
  r = await clickAndWait(page, retire);
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('network.plan.done.retire'))));
  assert.equal(await detail(page, en('network.plan.col.status')), en('network.plan.status.retired'));
  assert.equal(await page.locator('main form').count(), 0, 'a retired plan has nothing left to do');
  assert.ok((await text(page.locator('div[role="region"][aria-labelledby="history-heading"]'))).includes(squash(en('network.plan.history.retire'))));
  await audit(page, 'a community plan retired, English');

  // In French, the reminder of the children's services plan's review among the notifications.
  const admin = await track('fr');
  await signIn(admin, 'ca.admin@demo.arrimage.invalid', 'fr');
  const inbox = new RegExp(`^${fr('nav.notifications').replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')}( |$)`);
  await clickAndWait(admin, admin.getByRole('navigation').getByRole('link', { name: inbox }));
  await expectHeading(admin, fr('notification.title'));
  const reminderText = squash(fr('network.plan.reminder.review_due', reference, childrens.fr, reviewOn));
  const reminder = admin.locator('li.arr-message', { hasText: reminderText });
  for (let pages = 1; !(await reminder.count()); pages += 1) {
    const older = admin.getByRole('link', { name: fr('notification.older'), exact: true });
    assert.ok(pages < 10 && await older.count(), `the reminder "${reminderText}" is among the notifications`);
    await clickAndWait(admin, older);
  }
  assert.ok((await text(reminder.first())).includes(fr('notification.kind.network')), 'a community plan\'s notification');
  await audit(admin, 'the administrator\'s notifications with a community plan reminder, French');
  r = await clickAndWait(admin, reminder.first().getByRole('button', { name: fr('notification.open', reference), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(admin, /^\/network\/plans\/\d+$/);
  await expectHeading(admin, childrens.fr);
  assert.ok((await detail(admin, fr('network.plan.col.next_review'))).includes(fr('network.plan.review.due_soon')));
  await audit(admin, 'a community plan whose review is due soon, French');
});

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every report, agreement, governance, complaint, maturity, community plan and network map page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 78);
