// The server under test for the reliability runs: a database to run against (a fresh SQLite file
// in a temporary directory, or a fresh database on the PostgreSQL server of
// ARRIMAGE_TEST_PG_URL, dropped afterwards), `arrimage serve` started on it on a free port and
// stopped (SIGTERM) or killed (SIGKILL), and `arrimage audit verify` on it.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const STARTUP_TIMEOUT_MS = 120_000;  // an ASan build migrates and loads the demo data slowly
const STOP_TIMEOUT_MS = 20_000;

function tool(name) {
  for (const dir of (process.env.PATH || '').split(':').concat('/usr/lib/postgresql/15/bin')) {
    const p = path.join(dir || '.', name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

// ---------------------------------------------------------------- databases

// A fresh database for one run. `backend` is 'sqlite' or 'pg'; for 'pg', `adminUrl` is a URL
// of the PostgreSQL server (its database is only used to create and drop the run's own).
export function createDatabase(backend, tmpDir, adminUrl) {
  if (backend === 'sqlite') {
    const file = path.join(tmpDir, 'reliability.db');
    return { url: `sqlite:${file}`, label: 'SQLite', drop() {} };
  }
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(?:\/([^?#]*))?(\?[^#]*)?$/.exec(adminUrl || '');
  if (!m) throw new Error('ARRIMAGE_TEST_PG_URL is not a postgresql:// URL');
  const psql = tool('psql');
  if (!psql) throw new Error('psql is not installed (the PostgreSQL client, scripts/install-deps installs it)');
  const name = `arrimage_reliability_${process.pid}_${Date.now().toString(36)}`;
  const sql = (statement) => {
    const r = spawnSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', adminUrl, '-c', statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${statement}: ${(r.stderr || r.stdout || '').trim()}`);
  };
  sql(`CREATE DATABASE "${name}"`);
  return {
    url: `${m[1]}/${name}${m[3] || ''}`,
    label: 'PostgreSQL',
    drop() {
      try {
        sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } catch (e) {
        console.log(`# could not drop the database ${name}: ${e.message}`);
      }
    },
  };
}

// ---------------------------------------------------------------- the server

export class Server {
  // `logFile` collects the output of every start, one after the other.
  constructor(binary, databaseUrl, logFile, { threads = 2 } = {}) {
    this.binary = binary;
    this.databaseUrl = databaseUrl;
    this.logFile = logFile;
    this.threads = threads;
    this.child = null;
    this.exited = null;
    this.tail = [];
  }

  remember(line) {
    if (line.includes('"route":"static"')) return;
    this.tail.push(line);
    if (this.tail.length > 40) this.tail.shift();
  }

  lastOutput() {
    return this.tail.length ? `\n--- last server output ---\n${this.tail.join('\n')}` : '';
  }

  // Starts `arrimage serve` and resolves with the milliseconds until it said it was ready.
  start() {
    if (this.child) throw new Error('the server is already running');
    const args = ['serve', '--migrate', '--demo-data-if-empty', '--insecure-fast-password-hash',
      '--database-url', this.databaseUrl, '--listen', '127.0.0.1', '--port', '0', '--metrics-port', '0',
      '--threads', String(this.threads)];
    const started = performance.now();
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    log.write(`--- arrimage serve started at ${new Date().toISOString()}\n`);
    child.on('exit', (code, signal) => log.end(`--- exited: ${signal || `status ${code}`}\n`));
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (err) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(performance.now() - started);
      };
      const timer = setTimeout(() => finish(new Error(
        `the server did not say it was ready within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
      const onLines = (stream, onLine) => {
        let buffered = '';
        // Read for the whole run, or the server blocks once the pipe is full.
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
          log.write(chunk);
          buffered += chunk;
          let nl;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            this.remember(line);
            onLine(line);
          }
        });
      };
      onLines(child.stdout, (line) => {
        const m = /^Arrimage is ready at (http:\/\/[^/\s]+)\/\s*$/.exec(line);
        if (m) {
          this.url = m[1];
          finish(null);
        }
      });
      onLines(child.stderr, () => {});
      child.on('error', (err) => finish(new Error(`cannot start ${this.binary}: ${err.message}`)));
      child.on('exit', (code, signal) =>
        finish(new Error(`the server exited before it was ready (${signal || `status ${code}`})`)));
    });
  }

  // kill -9: no chance to finish anything.
  async kill() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exited;
  }

  // SIGTERM, as an operator stops it; resolves with {code, signal}.
  async stop() {
    const child = this.child;
    if (!child) return { code: 0, signal: null };
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  // The last resort when the runner exits abruptly.
  killNow() {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    this.child = null;
  }
}

// `arrimage audit verify` on the database (the server stopped): {ok, rows, output}.
export function auditVerify(binary, databaseUrl) {
  return new Promise((resolve) => {
    const child = spawn(binary, ['audit', 'verify', '--database-url', databaseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (err) => resolve({ ok: false, rows: 0, output: err.message }));
    child.on('exit', (code, signal) => {
      const m = /audit chain intact: (\d+) rows/.exec(output);
      resolve({ ok: code === 0 && !!m, rows: m ? Number(m[1]) : 0, output: output.trim() || `exit ${signal || code}` });
    });
  });
}
