// Crash safety under load: the server is killed with SIGKILL at a random moment while several
// signed-in users write through the real forms, restarted on the same database, and then
//
//   - every write the server acknowledged (its 303) must be there, read back through the pages;
//   - a write still in flight at the kill may be there or not, but whole: a file with its first
//     family member and its one `create` audit row, a family member with its `update` audit row,
//     an outreach activity with all its audiences and organisations;
//   - a write the server refused must not be there;
//   - every audited read the server answered must have its audit row (reads are audited through
//     the group commit, durable before the response);
//   - `arrimage audit verify` on the database, the server down, must pass after every kill.
//
// The writes: registering a child's file (/children/new, with a family member), adding a family
// member to a file (/children/{id}/family/new), both audited writes of personal information; and
// recording an outreach activity (/network/outreach/new, an organisational record with its
// audiences and organisations). The reads: the home page, the registry, a file, the outreach log.
// Each write carries a value made unique for the run, which finds it afterwards.
//
//   node tests/reliability/crash.mjs --binary build/release/src/app/arrimage --kills 50
//     [--backends sqlite,pg] [--require-pg] [--clients 6] [--min-delay 200] [--max-delay 1500]
//     [--seed N] [--summary-file FILE] [--keep]
//
// SQLite: a fresh file in a temporary directory. PostgreSQL: a fresh database on the server of
// ARRIMAGE_TEST_PG_URL (scripts/with-postgres sets it), dropped afterwards; without that
// variable the PostgreSQL half is skipped with a message (a failure with --require-pg). Prints a
// line per kill and a summary per database; the exit status is non-zero on any loss, any
// half-written record, any audit verification that fails, or a load that wrote nothing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Server, auditVerify, createDatabase } from './server.mjs';
import { Session, parseCsv } from './session.mjs';

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = {
    binary: '', kills: 3, backends: ['sqlite', 'pg'], requirePg: false, clients: 6, minDelay: 200, maxDelay: 1500,
    seed: Math.floor(Math.random() * 2 ** 31), summaryFile: '', keep: false,
  };
  const value = (i) => {
    if (i + 1 >= argv.length) usage(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  const count = (i, min) => {
    const n = Number(value(i));
    if (!Number.isInteger(n) || n < min) usage(`${argv[i]} must be a whole number of at least ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--binary') o.binary = value(i++);
    else if (a === '--kills') o.kills = count(i++, 1);
    else if (a === '--backends') {
      o.backends = value(i++).split(',').map((s) => s.trim()).filter(Boolean);
      if (!o.backends.length || o.backends.some((b) => b !== 'sqlite' && b !== 'pg')) {
        usage('--backends takes sqlite, pg or sqlite,pg');
      }
    } else if (a === '--require-pg') o.requirePg = true;
    else if (a === '--clients') o.clients = count(i++, 1);
    else if (a === '--min-delay') o.minDelay = count(i++, 0);
    else if (a === '--max-delay') o.maxDelay = count(i++, 1);
    else if (a === '--seed') o.seed = count(i++, 0);
    else if (a === '--summary-file') o.summaryFile = value(i++);
    else if (a === '--keep') o.keep = true;
    else if (a === '--help' || a === '-h') usage('');
    else if (!a.startsWith('-') && !o.binary) o.binary = a;
    else usage(`unknown argument ${a}`);
  }
  if (!o.binary) usage('the arrimage binary is required (--binary PATH)');
  if (!fs.existsSync(o.binary)) usage(`${o.binary} does not exist: build it first`);
  if (o.maxDelay < o.minDelay) usage('--max-delay must not be less than --min-delay');
  o.binary = path.resolve(o.binary);
  return o;
}

function usage(problem) {
  if (problem) console.error(`crash: ${problem}`);
  console.error('usage: node tests/reliability/crash.mjs --binary PATH [--kills N] [--backends sqlite,pg] [--require-pg]\n' +
    '       [--clients N] [--min-delay MS] [--max-delay MS] [--seed N] [--summary-file FILE] [--keep]');
  process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------- small helpers

// A seeded generator (mulberry32), so that a run's choices can be replayed with --seed.
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const letters = (n) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
  const weighted = (pairs) => {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  const subset = (list, lo, hi) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(copy.length, int(lo, hi)));
  };
  return { next, int, pick, letters, weighted, subset };
}

const capitalise = (s) => s[0].toUpperCase() + s.slice(1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const isoDay = (d) => d.toISOString().slice(0, 10);

// Runs `fn` over `items`, `width` at a time.
async function eachLimited(items, width, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

// ---------------------------------------------------------------- who does what

const COORDINATOR = 'coord.ca@demo.arrimage.invalid';  // coordinator at the coordinating agency
const CA_ADMIN = 'ca.admin@demo.arrimage.invalid';     // the agency's administrator
const MANAGER = 'manager1@demo.arrimage.invalid';      // a provider's manager, same area
const ANALYST = 'analyst@demo.arrimage.invalid';       // the ministry's analyst: reads only
const PRIVACY = 'privacy@demo.arrimage.invalid';       // the agency's privacy officer: the audit

// Operations and their weights per user; clients take these users in turn.
const PROFILES = [
  { email: COORDINATOR, lang: 'fr', ops: [['register', 4], ['family', 3], ['readFile', 2], ['readRegistry', 1]] },
  {
    email: CA_ADMIN, lang: 'fr',
    ops: [['register', 2], ['family', 2], ['outreach', 3], ['readFile', 1], ['readLog', 1], ['readHome', 1]],
  },
  { email: MANAGER, lang: 'en', ops: [['outreach', 5], ['readLog', 3], ['readHome', 1]] },
  { email: ANALYST, lang: 'en', ops: [['readLog', 3], ['readHome', 1]] },
];

// ---------------------------------------------------------------- one database

async function runBackend(backend, opts, rnd) {
  const label = backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const tag = rnd.letters(5);  // makes this run's values unique
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arrimage-reliability-'));
  const summary = {
    part: 'crash', backend, kills: 0, acknowledged: { registrations: 0, family_members: 0, outreach: 0 },
    in_flight: 0, in_flight_present: 0, refused_writes: 0, load_errors: 0, reads_acknowledged: 0, losses: 0, half_written: 0,
    audit_verify_passed: 0, audit_verify_runs: 0, restart_ms: [], first_start_ms: 0, problems: [],
  };
  // `detail` (the server's last output) is printed at once, not repeated in the summary.
  const problem = (text, detail = '') => {
    summary.problems.push(text);
    console.log(`# ${label}: ${text}${detail}`);
  };

  let db = null;
  let server = null;
  const cleanup = () => {
    if (server) server.killNow();
    if (db) db.drop();
    db = null;
    if (!opts.keep) fs.rmSync(tmpDir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);

  // What was attempted, by kind; each item: {status: 'ack' | 'flight' | 'refused' | 'unsent', iteration, ...}.
  const registrations = [];
  const familyAdds = [];
  const outreach = [];
  const files = new Map();  // file id -> {id, owner, reads (acknowledged GETs of the file)}
  let counter = 0;
  const unique = () => {
    let n = counter++;
    let s = '';
    for (let i = 0; i < 4; i++, n = Math.floor(n / 26)) s = String.fromCharCode(97 + (n % 26)) + s;
    return tag + s;
  };

  try {
    db = createDatabase(backend, tmpDir, process.env.ARRIMAGE_TEST_PG_URL);
    server = new Server(opts.binary, db.url, path.join(tmpDir, 'server.log'));
    summary.first_start_ms = Math.round(await server.start());
    console.log(`${label}: first start (migrations and demo data) in ${summary.first_start_ms} ms; seed ${opts.seed}`);

    for (let k = 1; k <= opts.kills; k++) {
      // ------------------------------------------------ load, then kill -9
      const profiles = Array.from({ length: opts.clients }, (_, i) => PROFILES[i % PROFILES.length]);
      const clients = await Promise.all(
        profiles.map(async (p) => ({ profile: p, s: await new Session(server.url, p.lang).signIn(p.email) })));
      let stopped = false;
      let killedAt = Infinity;
      // A write is recorded as in flight just before its POST leaves; one that leaves after the
      // kill never reached this server ("unsent", not counted as in flight).
      const sent = (list, item) => {
        item.sentAt = performance.now();
        list.push(item);
      };
      const ops = {
        async register(s) {
          const form = await s.form('/children/new', '/children/new');
          const family = capitalise(`rel${unique()}`);
          const item = {
            owner: s.email, iteration: k, family, given: capitalise(rnd.letters(8)), contact: capitalise(rnd.letters(7)),
            status: 'flight',
          };
          const two = (n) => String(n).padStart(2, '0');
          const dob = `${rnd.int(2006, 2022)}-${two(rnd.int(1, 12))}-${two(rnd.int(1, 28))}`;
          sent(registrations, item);
          const res = await s.submit(form, {
            given_name: item.given, family_name: family, date_of_birth: dob, official_language: rnd.pick(['fr', 'en']),
            capable_of_consent: 'no', contact_given_name: item.contact, contact_family_name: family,
            contact_relationship: 'parent', contact_phone: `613-555-${String(rnd.int(0, 9999)).padStart(4, '0')}`,
          });
          const m = /^\/children\/(\d+)$/.exec(res.location);
          if (res.status === 303 && m) {
            item.status = 'ack';
            item.id = Number(m[1]);
            files.set(item.id, { id: item.id, owner: s.email, reads: 0 });
          } else {
            item.status = 'refused';
            item.answer = res.status;
          }
        },
        async family(s) {
          const own = registrations.filter((r) => r.status === 'ack' && r.owner === s.email);
          if (!own.length) return ops.register(s);
          const file = rnd.pick(own).id;
          const action = `/children/${file}/family/new`;
          const form = await s.form(action, action);
          const item = {
            owner: s.email, iteration: k, file, name: `${capitalise(rnd.letters(8))} ${capitalise(rnd.letters(9))}`,
            status: 'flight',
          };
          sent(familyAdds, item);
          const [given, familyName] = item.name.split(' ');
          const res = await s.submit(form, {
            given_name: given, family_name: familyName, relationship: 'other_caregiver',
            phone: `613-555-${String(rnd.int(0, 9999)).padStart(4, '0')}`,
          });
          if (res.status === 303 && res.location === `/children/${file}`) item.status = 'ack';
          else {
            item.status = 'refused';
            item.answer = res.status;
          }
        },
        async outreach(s) {
          const form = await s.form('/network/outreach/new', '/network/outreach');
          const checked = form.fields.filter(([n]) => n === 'organisations').map(([, v]) => v);
          const others = (form.offered.organisations || []).filter((v) => !checked.includes(v));
          const organisations = [...checked, ...rnd.subset(others, 0, 2)];
          const audiences = rnd.subset(form.offered.audiences || [], 1, 3);
          const held = new Date(Date.now() - rnd.int(1, 60) * 86_400_000);
          const item = {
            owner: s.email, iteration: k, title: `Reliability session ${unique()}`, audiences: audiences.length,
            organisations: organisations.length, status: 'flight',
          };
          sent(outreach, item);
          const res = await s.submit(form, {
            kind: rnd.pick(form.offered.kind || ['other']), audiences, title: item.title, language: 'en', held_on: isoDay(held),
            people_reached: String(rnd.int(0, 300)), organisations,
            summary: `What was shared at ${item.title}: the network's services and how to reach them.`,
          });
          if (res.status === 303 && /^\/network\/outreach\/\d+$/.test(res.location)) item.status = 'ack';
          else {
            item.status = 'refused';
            item.answer = res.status;
          }
        },
        async readFile(s) {
          const own = registrations.filter((r) => r.status === 'ack' && r.owner === s.email);
          if (!own.length) return ops.readRegistry(s);
          const id = rnd.pick(own).id;
          const res = await s.get(`/children/${id}`);
          if (res.status === 200) {
            files.get(id).reads++;
            summary.reads_acknowledged++;
          }
        },
        async readRegistry(s) {
          if ((await s.get('/children')).status === 200) summary.reads_acknowledged++;
        },
        async readLog(s) {
          if ((await s.get('/network/outreach')).status === 200) summary.reads_acknowledged++;
        },
        async readHome(s) {
          if ((await s.get('/')).status === 200) summary.reads_acknowledged++;
        },
      };
      // An error after the kill is the kill (the write, if it was sent, stays in flight). One
      // before it is counted and shown: a page that did not answer 200 is reported on the kill's
      // line; a mistake in this script fails the run.
      const loadErrors = new Map();
      const loops = clients.map(async ({ profile, s }) => {
        while (!stopped) {
          try {
            await ops[rnd.weighted(profile.ops)](s);
          } catch (e) {
            if (stopped) continue;
            if ((e instanceof TypeError && !/fetch failed/.test(e.message)) || e instanceof ReferenceError) throw e;
            loadErrors.set(e.message, (loadErrors.get(e.message) || 0) + 1);
            await sleep(50);
          }
        }
      });
      const load = Promise.all(loops);
      load.catch(() => {});  // awaited after the kill, where a mistake is reported
      const delay = rnd.int(opts.minDelay, opts.maxDelay);
      await sleep(delay);
      stopped = true;
      killedAt = performance.now();
      await server.kill();
      await load;
      summary.kills++;
      for (const [message, n] of loadErrors) console.log(`# ${label} kill ${k}: before the kill, ${n} x ${message}`);
      summary.load_errors += [...loadErrors.values()].reduce((x, y) => x + y, 0);

      // ------------------------------------------------ the database as the crash left it
      const verified = await auditVerify(opts.binary, db.url);
      summary.audit_verify_runs++;
      if (verified.ok) summary.audit_verify_passed++;
      else problem(`kill ${k}: arrimage audit verify failed: ${verified.output}`);

      // ------------------------------------------------ restart, read everything back
      const scope = (list) => list.filter((x) => x.iteration === k);
      const attempted = [...scope(registrations), ...scope(familyAdds), ...scope(outreach)];
      for (const x of attempted) if (x.status === 'flight' && x.sentAt > killedAt) x.status = 'unsent';
      const acked = (list) => scope(list).filter((x) => x.status === 'ack').length;
      const flight = attempted.filter((x) => x.status === 'flight');
      const refused = attempted.filter((x) => x.status === 'refused');
      summary.acknowledged.registrations += acked(registrations);
      summary.acknowledged.family_members += acked(familyAdds);
      summary.acknowledged.outreach += acked(outreach);
      summary.in_flight += flight.length;
      summary.refused_writes += refused.length;
      const restartMs = await server.start();
      summary.restart_ms.push(restartMs);
      const before = { losses: summary.losses, half: summary.half_written };
      await verify(server, { registrations: scope(registrations), familyAdds: scope(familyAdds), outreach: scope(outreach) },
        { registrations, familyAdds, files }, summary, problem, `kill ${k}`);
      summary.in_flight_present += flight.filter((x) => x.present).length;
      const ok = summary.losses === before.losses && summary.half_written === before.half;
      console.log(`${label} kill ${k}/${opts.kills}: after ${delay} ms; acknowledged ${acked(registrations)} files, ` +
        `${acked(familyAdds)} family members, ${acked(outreach)} outreach; in flight ${flight.length} ` +
        `(${flight.filter((x) => x.present).length} there)` +
        (refused.length ? `; refused ${refused.length} (${[...new Set(refused.map((x) => x.answer))].join(', ')})` : '') +
        `; audit verify ${verified.ok ? `ok (${verified.rows} rows)` : 'FAILED'}; restart ${Math.round(restartMs)} ms; ` +
        `${ok ? 'all there, all whole' : 'LOSS OR HALF-WRITTEN RECORD'}`);
    }

    // ------------------------------------------------ everything once more, then a clean stop
    await verify(server, { registrations, familyAdds, outreach }, { registrations, familyAdds, files }, summary, problem,
      'final check');
    const stopped = await server.stop();
    if (stopped.code !== 0) {
      const how = stopped.signal ? `signal ${stopped.signal}` : `exit status ${stopped.code}`;
      problem(`on SIGTERM the server stopped with ${how}`,
        server.lastOutput());
    }
    const last = await auditVerify(opts.binary, db.url);
    summary.audit_verify_runs++;
    if (last.ok) summary.audit_verify_passed++;
    else problem(`after the final stop: arrimage audit verify failed: ${last.output}`);
  } catch (e) {
    problem(`the run could not go on: ${e.message}`, server ? server.lastOutput() : '');
  } finally {
    if (server) server.killNow();
    if (opts.keep) console.log(`${label}: kept ${tmpDir}`);
    cleanup();
    process.removeListener('exit', cleanup);
  }
  const a = summary.acknowledged;
  const acknowledged = a.registrations + a.family_members + a.outreach;
  if (summary.kills > 0 && acknowledged === 0) problem('no write was acknowledged: the load proved nothing');
  summary.restart_median_ms = Math.round(median(summary.restart_ms));
  summary.ok = summary.problems.length === 0;
  return summary;
}

// ---------------------------------------------------------------- reading back

// Checks the writes of `scope` against what the pages show now. `all` holds every attempt so
// far (a file's family members and reads accumulate over the kills).
async function verify(server, scope, all, summary, problem, when) {
  const sessions = new Map();
  const as = async (email) => {
    if (!sessions.has(email)) sessions.set(email, await new Session(server.url, 'en').signIn(email));
    return sessions.get(email);
  };
  const loss = (text) => {
    summary.losses++;
    problem(`${when}: LOST: ${text}`);
  };
  const half = (text) => {
    summary.half_written++;
    problem(`${when}: HALF-WRITTEN: ${text}`);
  };
  const filePage = async (email, id) => {
    const res = await (await as(email)).get(`/children/${id}`);
    if (res.status === 200 && all.files.has(id)) all.files.get(id).reads++;
    return res;
  };

  // Files: an acknowledged one by its number; any other by a search of its unique family name.
  const pages = new Map();  // file id -> page text
  await eachLimited(scope.registrations, 4, async (r) => {
    if (r.status === 'ack') {
      const res = await filePage(r.owner, r.id);
      if (res.status !== 200 || !res.text.includes(r.family) || !res.text.includes(r.given)) {
        loss(`file ${r.id} (${r.given} ${r.family}), acknowledged: its page answers ${res.status} without it`);
        return;
      }
      r.present = true;
      pages.set(r.id, res.text);
    } else {
      const list = await (await as(r.owner)).get(`/children?q=${encodeURIComponent(r.family)}`);
      if (list.status !== 200) throw new Error(`the registry search answered ${list.status}`);
      for (const m of new Set([...list.text.matchAll(/href="\/children\/(\d+)"/g)].map((x) => Number(x[1])))) {
        const res = await filePage(r.owner, m);
        if (res.status === 200 && res.text.includes(r.family) && res.text.includes(r.given)) {
          r.present = true;
          r.id = m;
          pages.set(m, res.text);
          if (!all.files.has(m)) all.files.set(m, { id: m, owner: r.owner, reads: 1 });
        }
      }
      if (r.present && r.status === 'refused') {
        half(`file ${r.id} (${r.given} ${r.family}) is there although the server answered ${r.answer}`);
      }
    }
    if (r.present && !pages.get(r.id).includes(`${r.contact} ${r.family}`)) {
      half(`file ${r.id} is there without its first family member`);
    }
  });

  // Family members: one page per file.
  const byFile = new Map();
  for (const f of scope.familyAdds) (byFile.get(f.file) || byFile.set(f.file, []).get(f.file)).push(f);
  await eachLimited([...byFile.keys()], 4, async (id) => {
    if (!pages.has(id)) {
      const res = await filePage(all.files.get(id).owner, id);
      if (res.status !== 200) {
        loss(`file ${id}, acknowledged earlier: its page answers ${res.status}`);
        return;
      }
      pages.set(id, res.text);
    }
  });
  for (const f of scope.familyAdds) {
    const page = pages.get(f.file);
    if (page === undefined) continue;
    f.present = page.includes(f.name);
    if (f.status === 'ack' && !f.present) loss(`family member ${f.name} of file ${f.file}, acknowledged`);
    if (f.status === 'refused' && f.present) {
      half(`family member ${f.name} of file ${f.file} is there although the server answered ${f.answer}`);
    }
  }

  // The audit, as the privacy officer reads it: one `create` row per file there, one `update`
  // row per family member added there, and at least one identity `read` row per page of the
  // file the server answered.
  const privacy = await as(PRIVACY);
  const exportOf = async (action) => {
    const res = await privacy.get(`/privacy/audit/export?action=${action}`);
    if (res.status !== 200) throw new Error(`the audit export (${action}) answered ${res.status}`);
    const rows = parseCsv(res.text);
    const header = rows.shift() || [];
    const col = (name) => {
      const i = header.indexOf(name);
      if (i < 0) throw new Error(`the audit export has no column ${name}`);
      return i;
    };
    if (rows.length >= 50_000) throw new Error('the audit export reached its 50,000 rows: the counts below would be wrong');
    const [file, decision, category] = [col('file'), col('decision'), col('category')];
    const counts = new Map();
    for (const r of rows) {
      if (r.length < header.length || r[decision] !== 'permit') continue;
      if (action === 'read' && r[category] !== 'identity_contact') continue;
      const id = Number(r[file]);
      counts.set(id, (counts.get(id) || 0) + 1);
    }
    return counts;
  };
  const creates = await exportOf('create');
  for (const r of scope.registrations) {
    if (!r.present) continue;
    const n = creates.get(r.id) || 0;
    if (n !== 1) half(`file ${r.id} is there with ${n} create audit rows instead of 1`);
  }
  const updates = await exportOf('update');
  for (const [id, page] of pages) {
    const there = all.familyAdds.filter((f) => f.file === id && page.includes(f.name)).length;
    const n = updates.get(id) || 0;
    if (n !== there) half(`file ${id} shows ${there} added family members but has ${n} update audit rows`);
  }
  const reads = await exportOf('read');
  for (const f of all.files.values()) {
    const n = reads.get(f.id) || 0;
    if (n < f.reads) loss(`file ${f.id}: ${f.reads} pages of it were answered but only ${n} read audit rows are there`);
  }

  // Outreach: the log as a spreadsheet, as each user who recorded activities sees it (in their
  // own language: each activity is looked for in its recorder's).
  const owners = [...new Set(scope.outreach.map((o) => o.owner))];
  const logs = new Map();  // recorder -> title -> rows
  for (const email of owners) {
    const res = await (await as(email)).get('/network/outreach/export.csv');
    if (res.status !== 200) throw new Error(`the outreach export answered ${res.status}`);
    const byTitle = new Map();
    for (const r of parseCsv(res.text).slice(1)) {
      if (r.length >= 7) (byTitle.get(r[1]) || byTitle.set(r[1], []).get(r[1])).push(r);
    }
    logs.set(email, byTitle);
  }
  for (const o of scope.outreach) {
    const found = logs.get(o.owner).get(o.title) || [];
    o.present = found.length > 0;
    if (o.status === 'ack' && !o.present) loss(`outreach activity "${o.title}", acknowledged`);
    if (o.status === 'refused' && o.present) {
      half(`outreach activity "${o.title}" is there although the server answered ${o.answer}`);
    }
    if (found.length > 1) half(`outreach activity "${o.title}" is there ${found.length} times`);
    for (const r of found) {
      const audiences = r[3] ? r[3].split('; ').length : 0;
      const organisations = r[6] ? r[6].split('; ').length : 0;
      if (audiences !== o.audiences || organisations !== o.organisations) {
        half(`outreach activity "${o.title}" is there with ${audiences} audiences and ${organisations} organisations ` +
          `instead of ${o.audiences} and ${o.organisations}`);
      }
    }
  }
}

// ---------------------------------------------------------------- main

const opts = parseArgs(process.argv.slice(2));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`# interrupted by ${sig}`);
    process.exit(1);
  });
}

const results = [];
const rnd = generator(opts.seed);
for (const backend of opts.backends) {
  if (backend === 'pg' && !process.env.ARRIMAGE_TEST_PG_URL) {
    const text = 'PostgreSQL: skipped: ARRIMAGE_TEST_PG_URL is not set (run through scripts/with-postgres; make test does)';
    console.log(text);
    results.push({ part: 'crash', backend, skipped: true, ok: !opts.requirePg, problems: opts.requirePg ? [text] : [] });
    continue;
  }
  results.push(await runBackend(backend, opts, rnd));
}

console.log('');
console.log('crash safety: kill -9 under a mixed write load');
const rows = [['database', 'kills', 'acknowledged writes', 'in flight (there)', 'pages read', 'all there', 'none half-written',
  'audit verify', 'median restart']];
for (const r of results) {
  const name = r.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  if (r.skipped) {
    rows.push([name, 'skipped', '', '', '', '', '', '', '']);
    continue;
  }
  const a = r.acknowledged;
  rows.push([name, String(r.kills), `${a.registrations + a.family_members + a.outreach} (${a.registrations} files, ` +
    `${a.family_members} family, ${a.outreach} outreach)`, `${r.in_flight} (${r.in_flight_present})`, String(r.reads_acknowledged),
  r.losses ? `NO (${r.losses})` : r.kills ? 'yes' : '-', r.half_written ? `NO (${r.half_written})` : r.kills ? 'yes' : '-',
  `${r.audit_verify_passed}/${r.audit_verify_runs}`, Number.isNaN(r.restart_median_ms) ? '-' : `${r.restart_median_ms} ms`]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(`  ${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}`);
const failed = results.filter((r) => !r.ok);
for (const r of failed) for (const p of r.problems) console.log(`  problem (${r.backend}): ${p}`);
console.log(failed.length ? 'crash safety: FAILED' : 'crash safety: passed');
if (opts.summaryFile) fs.writeFileSync(opts.summaryFile, `${JSON.stringify(results)}\n`);
process.exitCode = failed.length ? 1 : 0;
