// End-to-end tests of casework in a real browser (Chromium through playwright-core): the
// coordinating agency's intake (screening, eligibility, the waitlist, assignment, caseloads,
// closing and re-opening a file) and the coordinated service plan worked by its team, in French
// and in English, with axe-core accessibility checks on every page visited at a phone and a
// desktop viewport.
//
//   node tests/e2e/casework.mjs path/to/arrimage
//
// Same harness as run.mjs and directory.mjs (harness.mjs): the server on a free port with a
// fresh SQLite database and the demo data, the scenarios in order, the server stopped and its
// temporary directory removed, also on failure. The last line printed is "N passed, M failed";
// the exit status is non-zero on any failure. CTest runs it as the test `e2e-casework` (label e2e).

import assert from 'node:assert/strict';

import {
  accessibilityScenario, audit, clickAndWait, expectHeading, expectPath, goto, htmlLang, messages, scenario, squash, start,
  text,
} from './harness.mjs';

// The message catalogue the server embeds: the tests compare against it rather than copy text.
const { t } = messages(['en.json', 'referral.en.json', 'privacy.en.json', 'people.en.json', 'intake.en.json', 'notification.en.json', 'plan.en.json', 'plan_print.en.json', 'family.en.json', 'reporting.en.json', 'agreements.en.json', 'governance.en.json', 'complaints.en.json'],
  ['fr.json', 'referral.fr.json', 'privacy.fr.json', 'people.fr.json', 'intake.fr.json', 'notification.fr.json', 'plan.fr.json', 'plan_print.fr.json', 'family.fr.json', 'reporting.fr.json', 'agreements.fr.json', 'governance.fr.json', 'complaints.fr.json']);

await start({ prefix: 'arrimage-e2e-case-' });

// ---------------------------------------------------------------- intake

// Signs in, then works in `lang` (a signed-in user's language is their account's: the header's
// switch changes it).
async function signIn(page, email, lang) {
  await goto(page, '/login');
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill('demo-password-2026');
  await clickAndWait(page, page.locator('main form button[type="submit"]'));
  if ((await htmlLang(page)) !== lang) await clickAndWait(page, page.locator(`form[action="/lang/${lang}"] button`));
  assert.equal(await htmlLang(page), lang);
}

// An accepted demo referral (Maya Demo-Wilson): the agency's coordinator starts its intake,
// records the family's story, sees the area's rules met and decides eligible.
scenario('the agency screens an accepted referral and finds the family eligible, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await signIn(page, 'coord.ca@demo.arrimage.invalid', 'en');
  await goto(page, '/referrals?status=accepted');
  await clickAndWait(page, page.locator('table.arr-table tbody tr', { hasText: 'Demo-Wilson' }).locator('a').first());
  await clickAndWait(page, page.getByRole('button', { name: en('referral.start_intake'), exact: true }));
  await expectPath(page, /^\/intake\/\d+$/);
  await expectHeading(page, en('intake.detail_title', 'Demo-Wilson, Maya'));
  await audit(page, 'an intake opened');

  // Deciding eligible before the story: the table's guard refuses, with its message.
  await page.locator('#decision-field-decision-0').check();
  await page.locator('#decision-field-reason').fill('Needs in several sectors.');
  let r = await clickAndWait(page, page.getByRole('button', { name: en('intake.decision_submit'), exact: true }));
  assert.equal(r.status(), 409);
  assert.ok((await text(page.locator('main'))).includes(squash(en('intake.refused.rules_not_met'))));
  await audit(page, 'an intake decision refused');

  await page.locator('#story-field-story').fill('Maya was diagnosed last year.\nShe sleeps badly and school is hard.');
  await page.locator('#story-field-strengths').fill('Loves puzzles and swimming.');
  await page.locator('#story-field-hopes').fill('Good nights and a school that understands her.');
  await page.locator('#story-field-in_school-0').check();
  await page.getByRole('checkbox', { name: en('sector.education'), exact: true }).check();
  await page.getByRole('checkbox', { name: en('sector.health'), exact: true }).check();
  await page.locator('input[name^="criterion_"][value="yes"]').check();
  r = await clickAndWait(page, page.getByRole('button', { name: en('intake.story_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('main'))).includes(squash(en('intake.rules_all_met'))));
  await audit(page, 'an intake with its story');

  await page.locator('#decision-field-decision-0').check();
  await page.locator('#decision-field-reason').fill('Needs in education and health; 9 years old.');
  r = await clickAndWait(page, page.getByRole('button', { name: en('intake.decision_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('intake.decided_eligible'))));
  assert.ok((await text(page.locator('main'))).includes(en('intake.status.eligible')));
  await audit(page, 'an eligible intake');

  await clickAndWait(page, page.getByRole('navigation').getByRole('link', { name: en('nav.intake'), exact: true }));
  await expectHeading(page, en('intake.queue_title'));
  assert.equal(await page.locator('table.arr-table tbody tr', { hasText: 'Demo-Wilson' }).count(), 1);
  await audit(page, 'the intake queue');
});

// The demo intake in progress (Félix Démo-Roy), in French: not eligible, declined with a warm
// referral; then the area's rules page of the agency's administrator.
scenario('a family found not eligible is sent on along another pathway, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await signIn(page, 'coord.ca@demo.arrimage.invalid', 'fr');
  await goto(page, '/intake?status=in_intake');
  await clickAndWait(page, page.locator('table.arr-table tbody tr', { hasText: 'Démo-Roy' }).locator('a').first());
  assert.equal(await htmlLang(page), 'fr');
  const submit = page.getByRole('button', { name: fr('intake.decision_submit'), exact: true });
  await page.locator('#decision-field-decision-1').check();
  let r = await clickAndWait(page, submit);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#decision-error-reason')), squash(fr('field.required')));
  await audit(page, 'an intake decision with field errors, French');

  await page.locator('#decision-field-decision-1').check();
  await page.locator('#decision-field-reason').fill('Les besoins relèvent d\'un seul secteur pour l\'instant.');
  await page.locator('#decision-field-decline_reason').selectOption('not_eligible_needs');
  const crisis = await page.locator('#decision-field-warm_pathway_id option', { hasText: 'Santé mentale jeunesse Démo' }).first().getAttribute('value');
  await page.locator('#decision-field-warm_pathway_id').selectOption(crisis);
  await page.locator('#decision-field-warm_consent').check();
  r = await clickAndWait(page, submit);
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('intake.decided_ineligible_warm'))));
  assert.ok((await text(page.locator('main'))).includes(fr('intake.status.ineligible')));
  await audit(page, 'an intake not eligible, French');

  // The letter to the family, in their language of service (French), and the same as a PDF.
  await clickAndWait(page, page.getByRole('link', { name: fr('intake.letter.link'), exact: true }));
  await expectHeading(page, fr('intake.letter.title'));
  assert.equal(await htmlLang(page), 'fr');
  assert.ok((await text(page.locator('main'))).includes('Félix Démo-Roy'));
  await audit(page, 'the letter to a family found not eligible, French');
  const pdfHref = await page.getByRole('link', { name: fr('intake.letter.pdf'), exact: true }).getAttribute('href');
  const pdf = await page.request.get(new URL(pdfHref, page.url()).toString());
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');

  const admin = await track('fr');
  await signIn(admin, 'ca.admin@demo.arrimage.invalid', 'fr');
  await goto(admin, '/intake/rules');
  await expectHeading(admin, fr('intake.rules.title'));
  await admin.locator('#rules-field-caseload_limit').fill('deux cents');
  r = await clickAndWait(admin, admin.getByRole('button', { name: fr('intake.rules.submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(admin.locator('#rules-error-caseload_limit')), squash(fr('field.number_between', '1', '200')));
  await audit(admin, 'the area\'s rules with field errors, French');
});

// A waitlisted demo family (Liam Demo-Nguyen, file registered): the agency assigns a
// coordinator seeing their load; the coordinator finds the file on their caseload (its name
// withheld until the family's consent reaches them) beside a consented one, and records a first
// contact on an overdue file (Omar Demo-Haddad).
scenario('the agency assigns a waitlisted family a coordinator, who works their caseload, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await signIn(page, 'coord.ca@demo.arrimage.invalid', 'en');
  await goto(page, '/intake');
  await clickAndWait(page, page.getByRole('link', { name: en('intake.waitlist_title'), exact: true }));
  await expectHeading(page, en('intake.queue_title'));
  assert.ok((await text(page.locator('main'))).includes(en('intake.col.days_waiting')));
  await audit(page, 'the CSP waitlist');
  await clickAndWait(page, page.locator('table.arr-table tbody tr', { hasText: 'Demo-Nguyen' }).locator('a').first());
  await expectHeading(page, en('intake.detail_title', 'Demo-Nguyen, Liam'));
  assert.ok((await text(page.locator('main'))).includes('On the waitlist: place 1'));
  // Nobody chosen: a field error; then Alex Exemple, with a reason.
  const assign = page.getByRole('button', { name: en('intake.assign_submit'), exact: true });
  let r = await clickAndWait(page, assign);
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#assign-error-coordinator')), squash(en('field.required')));
  await audit(page, 'an assignment with field errors');
  await page.getByRole('radio', { name: /^Alex Exemple/ }).check();
  await page.locator('#assign-field-reason').fill('Speaks the family\'s language; near their home.');
  r = await clickAndWait(page, assign);
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('intake.assigned_told'))));
  assert.ok((await text(page.locator('main'))).includes('Coordinator: Alex Exemple'));
  await audit(page, 'an assigned file with what is due');

  const spc = await track('en');
  await signIn(spc, 'coord1@demo.arrimage.invalid', 'en');
  // The assignment waits in the coordinator's notifications (the header counts the unread);
  // opening it marks it read and leads to the file on their caseload.
  await clickAndWait(spc, spc.getByRole('navigation').getByRole('link', { name: /^Notifications \(\d+ unread\)$/ }));
  await expectHeading(spc, en('notification.title'));
  const assigned = spc.locator('li', { hasText: 'You are now the service planning coordinator of file' }).first();
  assert.ok(!(await text(spc.locator('main'))).includes('Demo-Nguyen'), 'a notification names no child');
  await audit(spc, 'a coordinator\'s notifications');
  const unread = await spc.locator('li.arr-notification--unread').count();
  r = await clickAndWait(spc, assigned.getByRole('button', { name: /^Open R-/ }));
  assert.equal(r.status(), 200);
  assert.equal(new URL(spc.url()).pathname, '/caseload', 'the new file, on the coordinator\'s caseload');
  await goto(spc, '/notifications?show=unread');
  assert.equal(await spc.locator('li.arr-notification--unread').count(), unread - 1);
  await clickAndWait(spc, spc.getByRole('navigation').getByRole('link', { name: en('nav.caseload'), exact: true }));
  await expectHeading(spc, en('intake.caseload.title'));
  const main = await text(spc.locator('main'));
  assert.ok(main.includes('Demo-Singh, Noah'), 'a consented file shows the child');
  assert.ok(main.includes('name withheld'), 'the new file waits for the family\'s consent');
  assert.ok(main.includes(en('intake.due_state.overdue')));
  await audit(spc, 'a coordinator\'s caseload');
  await clickAndWait(spc, spc.getByRole('link', { name: 'Demo-Haddad, Omar', exact: true }));
  r = await clickAndWait(spc, spc.getByRole('button', { name: en('intake.first_contact_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(spc.locator('body'))).includes(squash(en('intake.first_contact_recorded'))));
  await audit(spc, 'an intake seen by its assigned coordinator');
});

// In French: an eligible family put on the waitlist (no email: the page says to call), a closed
// file re-opened into intake, and the coordinators' loads kept by the agency's administrator.
scenario('the waitlist, a closed file re-opened and the coordinators\' loads, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await signIn(page, 'coord.ca@demo.arrimage.invalid', 'fr');
  await goto(page, '/intake?status=eligible');
  await clickAndWait(page, page.locator('table.arr-table tbody tr', { hasText: 'Demo-Brown' }).locator('a').first());
  assert.ok((await text(page.locator('main'))).includes(squash(fr('intake.needs_file'))));
  await page.locator('#waitlist-field-note').fill('Tous les coordonnateurs sont à leur limite.');
  let r = await clickAndWait(page, page.getByRole('button', { name: fr('intake.waitlist_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(fr('intake.waitlisted_call'))));
  assert.match(await text(page.locator('main')), /Sur la liste d'attente : rang \d+/);
  await audit(page, 'a family put on the waitlist, French');

  await goto(page, '/intake?status=closed');
  await clickAndWait(page, page.locator('table.arr-table tbody tr', { hasText: 'Démo-Fortin' }).locator('a').first());
  assert.ok((await text(page.locator('main'))).includes(fr('intake.close_reason.goals_met')));
  await audit(page, 'a closed file, French');
  await page.locator('#reopen-field-note').fill('Éloïse demande de l\'aide pour son entrée au collège.');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('intake.reopen_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('main'))).includes(fr('intake.status.in_intake')));

  const admin = await track('fr');
  await signIn(admin, 'ca.admin@demo.arrimage.invalid', 'fr');
  await goto(admin, '/intake/coordinators');
  await expectHeading(admin, fr('intake.coordinators.title'));
  const limit = admin.locator('input[name="caseload_limit"]').first();
  await limit.fill('mille');
  r = await clickAndWait(admin, admin.getByRole('button', { name: fr('intake.coordinators.save'), exact: true }).first());
  assert.equal(r.status(), 422);
  assert.ok((await text(admin.locator('main'))).includes(squash(fr('field.number_between', '1', '200'))));
  await audit(admin, 'the coordinators\' loads with a field error, French');
});

// Noah Demo-Singh's coordinator (coord1, on the family's consent) starts his coordinated service
// plan from the story told at intake, adds a goal in the family's words after a field error, and
// makes the plan active, in English.
scenario('the coordinator starts a child\'s plan from the story told at intake and makes it active, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await signIn(page, 'coord1@demo.arrimage.invalid', 'en');
  await goto(page, '/caseload');
  await clickAndWait(page, page.getByRole('link', { name: 'Demo-Singh, Noah', exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: en('referral.see_file'), exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: en('plan.file_link'), exact: true }));
  assert.ok((await text(page.locator('h1'))).startsWith(en('plan.title')));
  assert.ok(!(await text(page.locator('main'))).includes('Demo-Singh'), 'the plan\'s page does not name the child');
  await audit(page, 'a file without a plan yet');
  let r = await clickAndWait(page, page.getByRole('button', { name: en('plan.create_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('plan.created'))));
  assert.ok((await page.locator('#sections-field-strengths').inputValue()).includes('Knows everything about trains'));
  r = await clickAndWait(page, page.getByRole('button', { name: en('plan.goal_submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#goal-error-text')), squash(en('field.required')));
  await audit(page, 'a new plan with a field error on its goal');
  await page.locator('#goal-field-text').fill('Noah goes back to school three mornings a week.');
  await page.locator('#goal-field-expressed_by-0').check();
  r = await clickAndWait(page, page.getByRole('button', { name: en('plan.goal_submit'), exact: true }));
  assert.equal(r.status(), 200);
  r = await clickAndWait(page, page.getByRole('button', { name: en('plan.event.activate'), exact: true }));
  assert.equal(r.status(), 200);
  const main = await text(page.locator('main'));
  assert.ok(main.includes(en('plan.status.active')));
  assert.ok(main.includes('Noah goes back to school three mornings a week.'));
  await audit(page, 'an active plan with its goal and its versions');
});

// Léa Démo-Tremblay's plan, worked by her team in both languages: her coordinator (coord1, in
// French) starts it, adds two goals and three actions (one for the treatment centre's staff
// member, one for her mother); the staff member (in English) reads it without her school's needs,
// which her family keeps from that centre, and records progress on their action; the coordinator
// records a meeting and the family's agreement, compares two versions and prints the plan.
scenario('the team works a plan: goals, actions, a provider\'s progress, the family\'s agreement, versions and print, in French and English', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('fr');
  await signIn(page, 'coord1@demo.arrimage.invalid', 'fr');
  await goto(page, '/children');
  await clickAndWait(page, page.getByRole('link', { name: 'Démo-Tremblay, Léa', exact: true }));
  await clickAndWait(page, page.getByRole('link', { name: fr('plan.file_link'), exact: true }));
  const planPath = new URL(page.url()).pathname;
  await clickAndWait(page, page.getByRole('button', { name: fr('plan.create_submit'), exact: true }));
  await page.locator('#sections-field-needs_school').fill('Une aide en classe le matin.');
  await page.locator('#sections-field-safety').fill('Se sauve quand elle est bouleversée.');
  let r = await clickAndWait(page, page.getByRole('button', { name: fr('plan.sections_submit'), exact: true }));
  assert.equal(r.status(), 200);
  for (const [goal, who] of [['Léa parle avec ses amis à la récréation.', 0], ['Léa dort toute la nuit.', 1]]) {
    await page.locator('#goal-field-text').fill(goal);
    await page.locator(`#goal-field-expressed_by-${who}`).check();
    r = await clickAndWait(page, page.getByRole('button', { name: fr('plan.goal_submit'), exact: true }));
    assert.equal(r.status(), 200);
  }
  // An action without what or who: field errors, in French.
  r = await clickAndWait(page, page.getByRole('button', { name: fr('plan.action_submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#action-error-text')), squash(fr('field.required')));
  await audit(page, 'a plan with an action\'s field errors, French');
  const owner = (name) => page.locator('#action-field-owner option')
    .evaluateAll((options, n) => options.find((o) => o.textContent.startsWith(n)).value, name);
  const actions = [
    ['Réserver le bloc d\'orthophonie.', 'Ariel Traitement-Démo'],
    ['Apporter les bulletins scolaires.', 'Marie'],
    ['Rencontrer l\'école avec Marie.', 'Alex Exemple'],
  ];
  for (const [what, who] of actions) {
    await page.locator('#action-field-text').fill(what);
    await page.locator('#action-field-goal').selectOption({ index: 1 });
    await page.locator('#action-field-owner').selectOption(await owner(who));
    await page.locator('#action-field-due').fill('2099-06-30');
    r = await clickAndWait(page, page.getByRole('button', { name: fr('plan.action_submit'), exact: true }));
    assert.equal(r.status(), 200, what);
  }
  assert.equal(await page.locator('ul.arr-plan-actions > li').count(), 3);
  await audit(page, 'a plan with two goals and three actions, French');

  // The treatment centre's staff member, in English: the school's needs are withheld, their own
  // action takes their progress.
  const staff = await track('en');
  await signIn(staff, 'staff.ctc@demo.arrimage.invalid', 'en');
  await goto(staff, planPath);
  const seen = await text(staff.locator('main'));
  assert.ok(!seen.includes('Une aide en classe le matin.'), 'the family keeps the school\'s needs from this centre');
  assert.ok(seen.includes(squash(en('plan.section_withheld', en('plan.section.needs_school'), en('privacy.category.education')))));
  assert.equal(await staff.locator('details summary', { hasText: en('plan.action_progress_heading') }).count(), 1,
    'progress only on their own action');
  const mine = staff.locator('ul.arr-plan-actions > li', { hasText: 'Réserver le bloc d\'orthophonie.' });
  await mine.locator('summary').click();
  await mine.locator('select[name="event"]').selectOption('start');
  await mine.locator('textarea[name="note"]').fill('First session booked for March.');
  r = await clickAndWait(staff, mine.getByRole('button', { name: en('plan.action_progress_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(staff.locator('main'))).includes('First session booked for March.'));
  await audit(staff, 'a provider\'s view of a plan, with a section withheld, English');

  // Back to the coordinator: the meeting and the family's agreement to the plan as it is now.
  await goto(page, planPath);
  assert.ok((await text(page.locator('main'))).includes('First session booked for March.'));
  const today = new Date().toISOString().slice(0, 10);
  await page.locator('#meeting-field-held_on').fill(today);
  await page.locator('#meeting-field-attendees').fill('Marie, Ariel, Coordination Un');
  await page.locator('#meeting-field-decisions').fill('Commencer par l\'orthophonie.');
  r = await clickAndWait(page, page.getByRole('button', { name: fr('plan.meeting_submit'), exact: true }));
  assert.equal(r.status(), 200);
  await page.locator('#agreement-field-family_member-0').check();
  await page.locator('#agreement-field-method-0').check();
  await page.locator('#agreement-field-meeting').selectOption({ index: 1 });
  r = await clickAndWait(page, page.getByRole('button', { name: fr('plan.agreement_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('main'))).includes(squash(fr('plan.agreement.current', 'X').split('(')[0])));
  await audit(page, 'a plan the family agreed to, with its meeting, French');

  // Two versions side by side: the sections before and after the school's needs were written.
  await clickAndWait(page, page.getByRole('link', { name: fr('plan.compare.link'), exact: true }));
  await audit(page, 'the latest two versions of a plan side by side, French');
  await goto(page, `${planPath}/versions?a=1&b=2`);
  const compared = await text(page.locator('main'));
  assert.ok(compared.includes('Une aide en classe le matin.'));
  assert.ok(compared.includes(squash(fr('plan.compare.changed'))));
  await audit(page, 'versions 1 and 2 of a plan side by side, French');

  // Printed, and as a PDF, in French.
  await goto(page, `${planPath}/print`);
  assert.equal(await htmlLang(page), 'fr');
  const printed = await text(page.locator('main'));
  assert.ok(printed.includes('Léa parle avec ses amis à la récréation.'));
  assert.ok(printed.includes('Réserver le bloc d\'orthophonie.'));
  await audit(page, 'a printable plan, French');
  const pdf = await page.request.get(new URL(`${planPath}.pdf?lang=fr`, page.url()).href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
});

// ---------------------------------------------------------------- the family's own access

// Léa's coordinator (coord1, in French) invites her mother Marie with a printed code, after a
// field error; Marie joins on her phone in French, reads Léa's plan (without its safety notes)
// and agrees to it; her code does not work twice; the coordinator sees her signature on the plan.
scenario('a mother joins with a printed code, reads the plan on her phone and signs it, in French', async ({ track }) => {
  const fr = (key, ...args) => t('fr', key, ...args);
  const page = await track('fr');
  await signIn(page, 'coord1@demo.arrimage.invalid', 'fr');
  await goto(page, '/children');
  await clickAndWait(page, page.getByRole('link', { name: 'Démo-Tremblay, Léa', exact: true }));
  const filePath = new URL(page.url()).pathname;
  await clickAndWait(page, page.getByRole('link', { name: fr('family.file_link'), exact: true }));
  await expectPath(page, `${filePath}/family`);
  await audit(page, 'family access of a file, French');
  const invite = page.getByRole('button', { name: fr('family.invite.submit'), exact: true });
  let r = await clickAndWait(page, invite);
  assert.equal(r.status(), 422);
  await audit(page, 'an invitation with field errors, French');
  // Marie's option names her, her relationship and, when the file has it, her email.
  await page.getByRole('radio', { name: new RegExp(`^${fr('family.invite.member_option', 'Marie', fr('people.relationship.parent')).replace(/[()]/g, '\\$&')}`) }).check();
  await page.getByRole('group', { name: fr('family.invite.authority') }).getByRole('radio', { name: fr('common.yes'), exact: true }).check();
  await page.getByRole('radio', { name: fr('family.delivery.print'), exact: true }).check();
  r = await clickAndWait(page, invite);
  assert.equal(r.status(), 200);
  await expectHeading(page, fr('family.sheet.heading'));
  const sheet = await text(page.locator('main'));
  const code = sheet.match(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/)[0];
  const login = sheet.match(/fam-[2-9a-hjkmnp-tv-z]{8}/)[0];
  await audit(page, 'a printed invitation, French');

  // Marie, on her phone, with the code as printed (in small letters: they do not matter).
  const phone = await track('fr');
  await phone.setViewportSize({ width: 375, height: 740 });
  await goto(phone, '/family/join');
  await phone.locator('#field-code').fill(code.toLowerCase());
  await clickAndWait(phone, phone.getByRole('button', { name: fr('family.join.continue'), exact: true }));
  assert.ok((await text(phone.locator('main'))).includes(squash(fr('family.join.for', 'Marie'))));
  await audit(phone, 'joining with a code, French');
  r = await clickAndWait(phone, phone.getByRole('button', { name: fr('family.join.submit'), exact: true }));
  assert.equal(r.status(), 422);
  await audit(phone, 'joining with field errors, French');
  await phone.locator('#field-display_name').fill('Marie');
  await phone.locator('#field-password').fill('une phrase de passe familiale');
  await phone.locator('#field-password_confirm').fill('une phrase de passe familiale');
  await phone.getByRole('radio', { name: 'Français', exact: true }).check();
  r = await clickAndWait(phone, phone.getByRole('button', { name: fr('family.join.submit'), exact: true }));
  assert.equal(r.status(), 200);
  await expectPath(phone, '/family');
  await expectHeading(phone, fr('family.home.heading'));
  await audit(phone, 'a family account\'s home, French');
  await clickAndWait(phone, phone.getByRole('link', { name: /Léa/ }));
  const plan = await text(phone.locator('main'));
  assert.ok(plan.includes('Léa parle avec ses amis à la récréation.'), 'the goals in the family\'s words');
  assert.ok(!plan.includes('Se sauve quand elle est bouleversée.'), 'the safety notes are the team\'s');
  assert.ok(plan.includes(squash(fr('family.plan.section_withheld'))));
  assert.ok(!plan.includes('Démo-Tremblay'), 'the plan does not name the child');
  await audit(phone, 'the plan on a phone, French');
  await phone.getByRole('radio', { name: fr('plan.signature.agreed'), exact: true }).check();
  r = await clickAndWait(phone, phone.getByRole('button', { name: fr('family.sign.submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(phone.locator('body'))).includes(squash(fr('family.signed_agreed'))));
  await audit(phone, 'the plan signed, French');

  // The code a second time: refused, in French.
  const again = await track('fr');
  await goto(again, `/family/join?code=${code}`);
  assert.equal(await text(again.locator('#error-code')), squash(fr('family.error.code_used')));
  await audit(again, 'a used code, French');

  // Marie shares Léa's file no more with the treatment centre: she narrows the consent, the
  // centre's staff member is refused on the next request, and her access report shows the refusal.
  await clickAndWait(phone, phone.getByRole('link', { name: fr('family.plan.consent_link'), exact: true }));
  await expectHeading(phone, fr('family.consent.heading', 'Léa'));
  const lea = new URL(phone.url()).pathname.split('/')[3];  // /family/children/{id}/consent
  await audit(phone, 'consent and lockbox on a phone, French');
  const narrowing = phone.locator('details', { has: phone.locator('summary', { hasText: fr('family.consent.narrow_heading') }) }).first();
  await narrowing.locator('summary').click();
  await narrowing.getByRole('checkbox', { name: 'Centre de traitement pour enfants Démo', exact: true }).uncheck();
  r = await clickAndWait(phone, narrowing.getByRole('button', { name: fr('family.consent.narrow_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(phone.locator('body'))).includes(squash(fr('family.consent.narrowed'))));
  await audit(phone, 'a consent narrowed, French');

  const centre = await track('fr');
  await signIn(centre, 'staff.ctc@demo.arrimage.invalid', 'fr');
  r = await goto(centre, `/children/${lea}`);
  assert.equal(r.status(), 403, 'the treatment centre is refused on the next request');
  await audit(centre, 'a provider refused after the family narrowed the consent, French');

  await goto(phone, `/family/children/${lea}/access`);
  const report = await text(phone.locator('main'));
  assert.ok(report.includes(squash(fr('privacy.reason.consent_withdrawn'))), 'the refusal is in the report');
  assert.ok(report.includes('Centre de traitement pour enfants Démo'), 'the refused organisation is named');
  await audit(phone, 'who accessed the file after a refusal, French');

  // The coordinator sees her signature on the plan, and who has family access.
  await goto(page, `${filePath}/plan`);
  assert.ok((await text(page.locator('main'))).includes('Marie'));
  await goto(page, `${filePath}/family`);
  assert.ok((await text(page.locator('main'))).includes(login));
});

// Chris, Noah's grandmother (the demo's family account), signs in on her phone in English: the
// plan changed since she signed it; she asks for changes with a comment, after a field error.
scenario('a grandmother reads the plan that changed since she signed it and asks for changes, in English', async ({ track }) => {
  const en = (key, ...args) => t('en', key, ...args);
  const page = await track('en');
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page, 'chris.family@demo.arrimage.invalid', 'en');
  await expectPath(page, '/family');
  await clickAndWait(page, page.getByRole('link', { name: /Noah/ }));
  const plan = await text(page.locator('main'));
  assert.match(plan, /changed since version \d+ was signed|since the signature of version/i);
  await audit(page, 'the plan on a phone, English');
  await page.getByRole('radio', { name: en('plan.signature.changes_asked'), exact: true }).check();
  let r = await clickAndWait(page, page.getByRole('button', { name: en('family.sign.submit'), exact: true }));
  assert.equal(r.status(), 422);
  assert.equal(await text(page.locator('#sign-error-comment')), squash(en('field.required')));
  await audit(page, 'asking for changes without a comment, English');
  await page.locator('#sign-field-comment').fill('Please add the Saturday swimming lessons.');
  r = await clickAndWait(page, page.getByRole('button', { name: en('family.sign.submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('main'))).includes('Please add the Saturday swimming lessons.'));
  await audit(page, 'changes asked, English');

  // Who accessed Noah's file: his coordinator, and her own reads.
  await clickAndWait(page, page.getByRole('link', { name: en('family.plan.access_link'), exact: true }));
  assert.ok((await text(page.locator('main'))).includes('Jordan Sample'));
  await audit(page, 'who accessed the file, English');

  // Chris keeps Noah's education from his coordinator's organisation: on Jordan's next visit to
  // the file, the notice says so; then she withdraws the consent itself and Jordan is refused.
  await page.goBack();
  await clickAndWait(page, page.getByRole('link', { name: en('family.plan.consent_link'), exact: true }));
  await expectHeading(page, en('family.consent.heading', 'Noah'));
  const noah = new URL(page.url()).pathname.split('/')[3];  // /family/children/{id}/consent
  await audit(page, 'consent and lockbox on a phone, English');
  r = await clickAndWait(page, page.getByRole('button', { name: en('family.consent.withhold_submit'), exact: true }));
  assert.equal(r.status(), 422, 'nothing chosen: field errors');
  assert.equal(await text(page.locator('#lockbox-error-organisation_id')), squash(en('field.choose_one')));
  await audit(page, 'withholding without a choice, English');
  await page.locator('#lockbox-field-organisation_id').selectOption({ label: 'Fictional Maple Youth Centre' });
  await page.locator('#lockbox-field-category').selectOption('education');
  r = await clickAndWait(page, page.getByRole('button', { name: en('family.consent.withhold_submit'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('family.consent.withheld'))));

  const jordan = await track('en');
  await signIn(jordan, 'coord3@demo.arrimage.invalid', 'en');
  r = await goto(jordan, `/children/${noah}`);
  assert.equal(r.status(), 200);
  assert.ok((await text(jordan.locator('main'))).includes(squash(en('people.withheld_notice', en('privacy.category.education')))),
    'the withheld notice on the coordinator\'s next request');

  r = await clickAndWait(page, page.getByRole('button', { name: en('family.consent.withdraw_named', 'Fictional Maple Youth Centre'), exact: true }));
  assert.equal(r.status(), 200);
  assert.ok((await text(page.locator('body'))).includes(squash(en('family.consent.withdrawn'))));
  assert.equal(await page.getByRole('button', { name: /Withdraw this consent/ }).count(), 0, 'no consent left to withdraw');
  await audit(page, 'a consent withdrawn, English');
  r = await goto(jordan, `/children/${noah}`);
  assert.equal(r.status(), 403, 'the coordinator is refused on the next request');

  // Chris's access report shows both: the education withheld, then the refusal.
  await goto(page, `/family/children/${noah}/access`);
  const report = await text(page.locator('main'));
  assert.ok(report.includes(squash(en('privacy.reason.lockbox'))), 'the withheld read is in the report');
  assert.ok(report.includes(squash(en('privacy.reason.consent_withdrawn'))), 'the refusal is in the report');
});

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

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every intake, plan, family, report, agreement, governance and complaint page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 91);
