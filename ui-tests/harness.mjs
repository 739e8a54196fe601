// What the dashboard tests share: an emulator started from the built binary, a headless
// Chromium, a small IRP client (auth, Generate IRN, Cancel IRN) and the screenshot writer.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// --- The emulator ---------------------------------------------------------------------------

/** The binary: IRP_EMULATOR_BIN, else target/debug/irp-emulator (under CARGO_TARGET_DIR). */
export function emulatorBinary() {
  if (process.env.IRP_EMULATOR_BIN) return resolve(REPO, process.env.IRP_EMULATOR_BIN);
  const target = process.env.CARGO_TARGET_DIR || 'target';
  return join(isAbsolute(target) ? target : join(REPO, target), 'debug', 'irp-emulator');
}

/**
 * Starts an in-memory emulator on a free port; resolves to `{url, stop, output}` once it
 * prints its `listening on URL` lines (one per IRP, `URL (NAME)` when it serves several) and
 * its `fault seed` line. `extra` are more command-line arguments. Resolves to `{url, urls,
 * stop, output}`: `url` the first IRP's, `urls` every IRP's `{name, url}` in order.
 */
export function startEmulator(extra = []) {
  const binary = emulatorBinary();
  const child = spawn(binary, ['--in-memory', '--addr', '127.0.0.1:0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, IRP_EMULATOR_LOG: process.env.IRP_EMULATOR_LOG ?? 'warn' },
  });
  const output = [];
  child.stderr.on('data', (chunk) => output.push(chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${binary} printed no "listening on" line within 30 s:\n${output.join('')}`));
    }, 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${binary} (build it with cargo build -p irp-emulator, or set IRP_EMULATOR_BIN): ${e.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited with ${code} before listening:\n${output.join('')}`));
    });
    const urls = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(`${line}\n`);
      const m = /^listening on (http:\/\/\S+)(?: \((\S+)\))?/.exec(line);
      if (m) urls.push({ url: m[1].replace(/\/+$/, ''), name: m[2] ?? null });
      if (!line.startsWith('fault seed') || urls.length === 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const stop = () => new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
      resolvePromise({ url: urls[0].url, urls, stop, output });
    });
  });
}

/** A control-namespace call: `{status, body}` (body parsed when JSON). */
export async function control(base, method, path, body, headers = {}) {
  const response = await fetch(`${base}/__emulator__${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

// --- Chromium -----------------------------------------------------------------------------------

/** Debian's chromium, headless, with the flags these machines need. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const VIEWPORT = { width: 1280, height: 800 };

/** A new page that fails the test on any script error or failed same-origin request. */
export async function openPage(browser, problems) {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A refused request is reported below with its URL; Chromium's line about it has none.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return page;
}

/** Writes docs/screenshots/NAME.png; a read-only docs/ is reported, not a failure. */
export async function screenshot(page, name) {
  if (process.env.UI_SCREENSHOTS === '0') return null;
  const path = join(REPO, 'docs', 'screenshots', `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.activeElement?.blur());
  const png = await page.screenshot({ fullPage: false });
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, png);
  } catch (e) {
    console.log(`# screenshot ${name} not written (${e.code ?? e.message})`);
    return null;
  }
  return path;
}

// --- A small IRP client -------------------------------------------------------------------------

function aes(decrypt, key, data) {
  const c = decrypt
    ? crypto.createDecipheriv(`aes-${key.length * 8}-ecb`, key, null)
    : crypto.createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  return Buffer.concat([c.update(data), c.final()]);
}

/** The seller's user of the sample invoice, logged in; `post` and answers in plain JSON. */
export class IrpClient {
  static async login(base) {
    const sandbox = (await control(base, 'GET', '/sandbox')).body;
    const invoice = JSON.parse(readFileSync(join(REPO, 'examples', 'invoices', 'b2b-intra-state.json'), 'utf8'));
    const seller = invoice.SellerDtls.Gstin;
    const user = sandbox.users.find((u) => u.gstin === seller && u.clients.length === 0);
    const client = new IrpClient(base, sandbox, invoice, seller, user);
    await client.auth();
    return client;
  }

  constructor(base, sandbox, invoice, gstin, user) {
    Object.assign(this, { base, sandbox, invoice, gstin, user });
  }

  headers() {
    return {
      client_id: this.sandbox.client_id,
      client_secret: this.sandbox.client_secret,
      Gstin: this.gstin,
      user_name: this.user.username,
      AuthToken: this.token,
      'Content-Type': 'application/json',
    };
  }

  async auth() {
    const appKey = crypto.randomBytes(32);
    const credentials = { UserName: this.user.username, Password: this.user.password, AppKey: appKey.toString('base64'), ForceRefreshAccessToken: false };
    const plain = Buffer.from(Buffer.from(JSON.stringify(credentials)).toString('base64'), 'ascii');
    const data = crypto.publicEncrypt({ key: this.sandbox.auth_public_key_pem, padding: crypto.constants.RSA_PKCS1_PADDING }, plain).toString('base64');
    const response = await fetch(`${this.base}/eivital/v1.04/auth`, {
      method: 'POST',
      headers: { client_id: this.sandbox.client_id, client_secret: this.sandbox.client_secret, Gstin: this.gstin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Data: data }),
    });
    const body = await response.json();
    if (body.Status !== 1) throw new Error(`auth failed: ${JSON.stringify(body)}`);
    this.token = body.Data.AuthToken;
    this.sek = aes(true, appKey, Buffer.from(body.Data.Sek, 'base64'));
  }

  /** POSTs an encrypted payload: `{http, status, data, errors, text}`; never throws on an IRP refusal. */
  async post(path, payload) {
    const sealed = aes(false, this.sek, Buffer.from(JSON.stringify(payload))).toString('base64');
    const response = await fetch(`${this.base}${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ Data: sealed }) });
    const text = await response.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const data = body?.Status === 1 && typeof body.Data === 'string'
      ? JSON.parse(aes(true, this.sek, Buffer.from(body.Data, 'base64')).toString('utf8'))
      : null;
    const errors = (body?.ErrorDetails ?? []).map((d) => String(d.ErrorCode));
    return { http: response.status, status: body?.Status, data, errors, text };
  }

  /** Generates an IRN for a sample invoice of examples/invoices/ under a fresh document number. */
  async generate(prefix = 'UI', sample = null) {
    const invoice = sample
      ? JSON.parse(readFileSync(join(REPO, 'examples', 'invoices', sample), 'utf8'))
      : structuredClone(this.invoice);
    invoice.DocDtls.No = `${prefix}-${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    const answer = await this.post('/eicore/v1.03/Invoice', invoice);
    return { docNo: invoice.DocDtls.No, ...answer };
  }

  cancel(irn) {
    return this.post('/eicore/v1.03/Invoice/Cancel', { Irn: irn, CnlRsn: '2', CnlRem: 'Data entry mistake' });
  }
}
