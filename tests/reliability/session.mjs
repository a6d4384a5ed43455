// A signed-in user of the web application as the reliability runs see it: a cookie jar over the
// global fetch, redirects not followed (a form's success is its 303), and the forms of a page
// read from its HTML so that every write is a real POST of the form the page shows, CSRF token
// included. Also a small RFC 4180 CSV reader for the application's downloads. No browser.
//
//   const s = new Session(baseUrl, 'en');
//   await s.signIn(email, password);
//   const form = await s.form('/children/new', '/children/new');
//   const res = await s.submit(form, { given_name: 'Ada', audiences: ['families', 'schools'] });

export const DEMO_PASSWORD = 'demo-password-2026';
const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------- HTML forms

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'", nbsp: '\u00a0' };

export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    const lower = name.toLowerCase();
    if (lower in ENTITIES) return ENTITIES[lower];
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return whole;
  });
}

function attributes(text) {
  const out = {};
  for (const m of text.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

// Every <form> of a page: its action and method, the values it would send as it stands
// (hidden fields such as _csrf, filled text, checked boxes and radios, selected options) and,
// for radios, checkboxes and selects, every value offered.
export function parseForms(html) {
  const forms = [];
  for (const fm of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(fm[1]);
    const body = fm[2];
    const fields = [];
    const offered = {};
    const offer = (name, value) => (offered[name] ||= []).push(value);
    for (const m of body.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(m[1]);
      if (!a.name) continue;
      const type = (a.type || 'text').toLowerCase();
      if (type === 'submit' || type === 'button' || type === 'reset' || type === 'file') continue;
      if (type === 'checkbox' || type === 'radio') {
        offer(a.name, a.value ?? 'on');
        if ('checked' in a) fields.push([a.name, a.value ?? 'on']);
      } else {
        fields.push([a.name, a.value ?? '']);
      }
    }
    for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const a = attributes(m[1]);
      if (a.name) fields.push([a.name, decodeEntities(m[2])]);
    }
    for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const a = attributes(m[1]);
      if (!a.name) continue;
      let chosen = null;
      let first = null;
      for (const o of m[2].matchAll(/<option\b([^>]*)>/gi)) {
        const oa = attributes(o[1]);
        const value = oa.value ?? '';
        offer(a.name, value);
        if (first === null) first = value;
        if ('selected' in oa && chosen === null) chosen = value;
      }
      const value = chosen ?? first;
      if (value !== null) fields.push([a.name, value]);
    }
    forms.push({ action: attrs.action || '', method: (attrs.method || 'get').toLowerCase(), fields, offered });
  }
  return forms;
}

// The values a form sends with `changes` applied: a name in `changes` replaces every value the
// form had for it (an array gives several values, as ticked checkboxes do).
export function formBody(form, changes = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of form.fields) if (!(name in changes)) body.append(name, value);
  for (const [name, value] of Object.entries(changes)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, String(v));
  }
  return body;
}

// ---------------------------------------------------------------- CSV

// RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends. Returns an array of rows.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ---------------------------------------------------------------- session

export class Session {
  constructor(baseUrl, lang = 'en') {
    this.baseUrl = baseUrl;
    this.lang = lang;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // One request; resolves once the whole body is read: {status, location, text}. Rejects when
  // the connection fails (refused, reset, timed out) — the caller cannot know what happened.
  async request(method, path, body) {
    const headers = { 'accept-language': this.lang === 'fr' ? 'fr-CA,fr;q=0.9' : 'en-CA,en;q=0.9' };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(this.baseUrl + path, {
      method, headers, body: body === undefined ? undefined : body.toString(), redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    this.remember(res);
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location') || '', text };
  }

  get(path) {
    return this.request('GET', path);
  }

  // The form of page `path` whose action is `action`; throws when the page has none.
  async form(path, action) {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    const form = parseForms(res.text).find((f) => f.method === 'post' && f.action === action);
    if (!form) throw new Error(`GET ${path}: no form posting to ${action}`);
    return form;
  }

  submit(form, changes) {
    return this.request('POST', form.action, formBody(form, changes));
  }

  // Through the sign-in form; throws unless the server answers 303 with a session cookie.
  async signIn(email, password = DEMO_PASSWORD) {
    this.cookies.clear();
    const form = await this.form('/login', '/login');
    const res = await this.submit(form, { email, password });
    if (res.status !== 303) throw new Error(`signing in as ${email} answered ${res.status}, expected 303`);
    if (![...this.cookies.keys()].some((k) => k.includes('session'))) throw new Error(`no session cookie after signing in as ${email}`);
    this.email = email;
    return this;
  }
}
