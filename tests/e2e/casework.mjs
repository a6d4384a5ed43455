// End-to-end tests of casework in a real browser (Chromium through playwright-core): the
// coordinating agency's intake (screening, eligibility, the waitlist, assignment, caseloads,
// closing and re-opening a file), the coordinated service plan worked by its team and the
// family's own access, in French and in English, with axe-core accessibility checks on every page
// visited at a phone and a desktop viewport. The agency's network tooling (reports, agreements,
// governance, complaints, the network's maturity and plans) is network.mjs.
//
//   node tests/e2e/casework.mjs path/to/arrimage
//
// Same harness as run.mjs and directory.mjs (harness.mjs): the server on a free port with a
// fresh SQLite database and the demo data, the scenarios in order, the server stopped and its
// temporary directory removed, also on failure. The last line printed is "N passed, M failed";
// the exit status is non-zero on any failure. CTest runs it as the test `e2e-casework` (label e2e).

import assert from 'node:assert/strict';

import {
  accessibilityScenario, audit, clickAndWait, expectHeading, expectPath, goto, htmlLang, messages, scenario, signInDemo as signIn,
  squash, start, text,
} from './harness.mjs';

// The message catalogue the server embeds: the tests compare against it rather than copy text.
const { t } = messages(['en.json', 'referral.en.json', 'privacy.en.json', 'people.en.json', 'intake.en.json', 'notification.en.json', 'plan.en.json', 'plan_print.en.json', 'family.en.json', 'reporting.en.json', 'agreements.en.json', 'governance.en.json', 'complaints.en.json'],
  ['fr.json', 'referral.fr.json', 'privacy.fr.json', 'people.fr.json', 'intake.fr.json', 'notification.fr.json', 'plan.fr.json', 'plan_print.fr.json', 'family.fr.json', 'reporting.fr.json', 'agreements.fr.json', 'governance.fr.json', 'complaints.fr.json']);

await start({ prefix: 'arrimage-e2e-case-' });

// ---------------------------------------------------------------- intake

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

// Every page the scenarios above visited, at both viewports.
accessibilityScenario('every intake, plan and family page visited passes axe (WCAG 2.2 A and AA, and best practices) at 375x740 and 1280x900, and reflows at 375', 48);
