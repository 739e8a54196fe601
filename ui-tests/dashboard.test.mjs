// End-to-end tests of the dashboard in headless Chromium, against the emulator binary.
// One in-memory emulator and one browser for the file; the tests run in order and each
// leaves the emulator as the next expects (the clock test freezes the clock last but one).
// The screenshots of docs/screenshots/ are taken here, at the moment each view shows
// something worth seeing.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import jsQR from 'jsqr';
import { PNG } from 'pngjs';

import { IrpClient, REPO, control, launchBrowser, openPage, screenshot, startEmulator } from './harness.mjs';

const run = promisify(execFile);

/** Decodes the QR code in a PNG: its text, or null. */
function decodeQr(png) {
  const image = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return found ? found.data : null;
}

/** `yyyy-MM-dd HH:mm:ss` (IST) plus `seconds`, in the same format. */
function addSeconds(ist, seconds) {
  const t = new Date(`${ist.replace(' ', 'T')}+05:30`).getTime() + seconds * 1000;
  const d = new Date(t + 5.5 * 3600 * 1000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** A valid GSTIN: the 14 characters given plus GSTN's base-36 check character. */
function gstin(first14) {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let sum = 0;
  [...first14].forEach((c, i) => {
    const product = chars.indexOf(c) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  });
  return first14 + chars[(36 - (sum % 36)) % 36];
}

describe('dashboard', () => {
  let emulator;
  let browser;
  let page;
  let client; // the sample invoice's seller, logged in
  const problems = []; // script errors and failed loads, checked by every test
  const requests = []; // every URL the page asked for

  const ui = (hash = '') => `${emulator.url}/__emulator__/ui${hash}`;
  /** Loads the page afresh on a view (a goto that changes only the hash would keep the page). */
  const visit = async (hash) => {
    await page.goto('about:blank');
    await page.goto(ui(hash));
  };
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  const noProblems = () => assert.deepEqual(problems.splice(0), [], 'the page logged no error');
  /** Chromium logs every refused fetch; drops the one a test provoked on purpose. */
  const provoked = (status) => {
    const i = problems.findIndex((p) => p.startsWith(`HTTP ${status} `));
    assert.ok(i >= 0, `the page met the HTTP ${status} the test provoked`);
    problems.splice(i, 1);
  };

  before(async () => {
    emulator = await startEmulator();
    browser = await launchBrowser();
    page = await openPage(browser, problems);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: emulator.url });
    page.on('request', (r) => requests.push(r.url()));
    client = await IrpClient.login(emulator.url);
  });

  after(async () => {
    await browser?.close();
    await emulator?.stop();
  });

  test('the page and its assets come from the emulator, and nothing else is fetched', async () => {
    const html = await fetch(ui());
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /text\/html/);
    assert.match(await html.text(), /<script type="module" src="\/__emulator__\/ui\/app\.js">/);
    for (const [file, type] of [['app.js', /javascript/], ['app.css', /text\/css/]]) {
      const r = await fetch(ui(`/${file}`));
      assert.equal(r.status, 200, file);
      assert.match(r.headers.get('content-type'), type, file);
    }
    await visit('#journal');
    await byTestId('view-journal').waitFor();
    await page.waitForFunction(() => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(document.querySelector('[data-testid="top-now"]').textContent));
    const foreign = requests.filter((u) => !u.startsWith(`${emulator.url}/`));
    assert.deepEqual(foreign, [], 'every request stays on the emulator');
    noProblems();
  });

  test('a client registers an invoice: the journal shows the decrypted request, Registrations the registration and its QR', async () => {
    const { stdout } = await run(process.execPath, [join(REPO, 'examples', 'clients', 'node', 'client.mjs')], {
      env: { ...process.env, IRP_BASE_URL: emulator.url },
      timeout: 60_000,
    });
    const m = /generate IRN: (\S+) -> AckNo (\d+), Irn ([0-9a-f]{64})/.exec(stdout);
    assert.ok(m, `the example client reports its IRN:\n${stdout}`);
    const [, docNo, ackNo, irn] = m;

    await visit('#journal');
    await page.locator('[data-testid="journal-row"][data-api="auth"]').first().waitFor();
    // The API filter leaves only that API's calls.
    await byTestId('journal-filter-api').selectOption('generate_irn');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="journal-row"]')];
      return rows.length === 1 && rows[0].dataset.api === 'generate_irn';
    });
    const row = page.locator('[data-testid="journal-row"][data-api="generate_irn"]').first();
    await row.click();
    await assert.doesNotReject(row.locator('xpath=following-sibling::tr[1][@data-testid="journal-detail"]').waitFor());
    const detail = page.locator('[data-testid="journal-detail"]').first();
    const request = await detail.locator('[data-testid="journal-request"]').textContent();
    assert.ok(request.includes(`"No": "${docNo}"`), `the decrypted request holds the document number ${docNo}`);
    const answer = await detail.locator('[data-testid="journal-response"]').textContent();
    assert.ok(answer.includes(irn), 'the decrypted answer holds the IRN');
    assert.ok(answer.includes(ackNo), 'the decrypted answer holds the AckNo');
    assert.equal(await row.getAttribute('aria-expanded'), 'true');

    // The entry links to its registration.
    await detail.locator(`a[href="#registrations/${irn}"]`).click();
    await byTestId('view-registrations').waitFor();
    await page.locator(`[data-testid="reg-row"][data-irn="${irn}"]`).waitFor();
    assert.equal(await byTestId('reg-detail-irn').textContent(), irn);
    assert.match(await page.locator(`[data-testid="reg-row"][data-irn="${irn}"]`).textContent(), /CNL/, 'the example client cancelled it');
    assert.match(await byTestId('reg-detail-cancelled').textContent(), /reason 1/);
    const qrPayload = await byTestId('reg-qr-payload').textContent();
    assert.ok(qrPayload.includes(`"DocNo": "${docNo}"`), 'the decoded QR payload holds the document number');
    const img = byTestId('reg-qr-img');
    assert.equal(await img.getAttribute('src'), `/__emulator__/qr/${irn}.svg`);
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="reg-qr-img"]');
      return el && el.complete && el.naturalWidth > 0;
    });
    assert.equal(await byTestId('reg-qr-png').getAttribute('href'), `/__emulator__/qr/${irn}.png`);
    noProblems();
  });

  test('the QR images decode to exactly the SignedQRCode', async () => {
    const generated = await client.generate('QR');
    assert.equal(generated.status, 1, generated.text);
    const { Irn: irn, SignedQRCode: signedQr } = generated.data;

    const png = await fetch(`${emulator.url}/__emulator__/qr/${irn}.png`);
    assert.equal(png.status, 200);
    assert.match(png.headers.get('content-type'), /image\/png/);
    assert.equal(decodeQr(Buffer.from(await png.arrayBuffer())), signedQr, 'the PNG holds the SignedQRCode');

    // One with an e-way bill, for the list.
    const withEwb = await client.generate('EWB', 'b2b-with-ewaybill.json');
    assert.equal(withEwb.status, 1, withEwb.text);
    assert.ok(withEwb.data.EwbNo, 'the e-way bill was generated with the IRN');

    const registration = await control(emulator.url, 'GET', `/registrations/${irn}`);
    assert.equal(registration.status, 200);
    assert.equal(registration.body.signed_qr_code, signedQr);

    // The SVG as the browser draws it, shown large enough for a camera (or jsQR).
    await visit(`#registrations/${irn}`);
    await page.waitForFunction((want) => document.querySelector('[data-testid="reg-detail-irn"]')?.textContent === want, irn);
    await page.waitForFunction(() => document.querySelector('[data-testid="reg-qr-img"]')?.naturalWidth > 0);
    assert.equal(await byTestId('reg-signed-qr').textContent(), signedQr, 'the page shows the raw JWS');
    // The search finds it by document number, and only it.
    await byTestId('reg-search').fill(generated.docNo);
    await page.waitForFunction((want) => {
      const rows = [...document.querySelectorAll('[data-testid="reg-row"]')];
      return rows.length === 1 && rows[0].dataset.irn === want;
    }, irn);
    await byTestId('reg-search').fill('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="reg-row"]').length === 3);
    await page.locator(`[data-testid="reg-row"][data-irn="${withEwb.data.Irn}"]`, { hasText: String(withEwb.data.EwbNo) }).waitFor();
    await screenshot(page, 'registrations');
    const img = byTestId('reg-qr-img');
    await img.evaluate((el) => {
      el.width = 700;
      el.height = 700;
    });
    assert.equal(decodeQr(await img.screenshot()), signedQr, 'the SVG, drawn by Chromium, holds the SignedQRCode');

    // The copy button puts the JWS on the clipboard.
    await byTestId('copy-reg-signed-qr').click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), signedQr);

    // Cancelled by a client, the open registration shows it within a poll.
    const cancelled = await client.cancel(irn);
    assert.equal(cancelled.status, 1, cancelled.text);
    await page.locator('[data-testid="reg-detail"] h2', { hasText: 'CNL' }).waitFor();
    assert.match(await byTestId('reg-detail-cancelled').textContent(), /reason 2 “Data entry mistake”/);
    noProblems();
  });

  test('a fault added from the page makes the next matching call fail', async () => {
    await visit('#faults');
    // A bad rule is refused with the API's reason, inline.
    await byTestId('fault-rule').fill('{"match": {"api": "no_such_api"}, "action": {"type": "http_status", "status": 503}}');
    await byTestId('fault-add').click();
    const refusal = await control(emulator.url, 'POST', '/faults', { match: { api: 'no_such_api' }, action: { type: 'http_status', status: 503 } });
    assert.equal(refusal.status, 400);
    await page.waitForFunction((want) => document.querySelector('[data-testid="fault-form-error"]')?.textContent === want,
      refusal.body.ErrorDetails[0].ErrorMessage);
    assert.equal((await control(emulator.url, 'GET', '/faults')).body.faults.length, 0, 'nothing was added');
    provoked(400);

    await page.getByRole('button', { name: '503 on the next Generate IRN' }).click();
    await byTestId('fault-add').click();
    const row = page.locator('[data-testid="fault-row"]', { hasText: 'gateway-503' });
    await row.waitFor();
    const rules = (await control(emulator.url, 'GET', '/faults')).body.faults;
    assert.equal(rules.length, 1);
    assert.deepEqual({ ...rules[0], id: 0 }, { id: 0, name: 'gateway-503', match: { api: 'generate_irn' }, phase: 'before', action: { type: 'http_status', status: 503, retry_after: 2 }, times: 1, fired: 0 });

    const failed = await client.generate('FLT');
    assert.equal(failed.http, 503, 'the next Generate IRN meets the fault');
    const next = await client.generate('FLT');
    assert.equal(next.status, 1, 'the fault fired once only');

    await row.locator('[data-testid="fault-fired"]', { hasText: '1' }).waitFor();
    const journal = (await control(emulator.url, 'GET', '/journal?api=generate_irn&limit=2')).body.entries;
    assert.equal(journal[0].http_status, 503);
    assert.match(journal[0].fault, /gateway-503/);
    assert.equal(journal[1].status, 1);
    assert.equal(journal[1].fault, null);

    // A rate limit from a preset, for the screenshot and the table.
    await page.getByRole('button', { name: '100 calls a minute per GSTIN' }).click();
    await byTestId('limit-add').click();
    await page.locator('[data-testid="limit-row"]', { hasText: 'gstin-100-per-minute' }).waitFor();
    await screenshot(page, 'faults');

    // The journal row carries the fault badge.
    await visit('#journal');
    await page.locator('[data-testid="journal-row"][data-api="generate_irn"] [data-testid="journal-fault"]', { hasText: 'gateway-503' }).waitFor();

    // Delete from the page.
    await visit('#faults');
    await row.locator('[data-testid="fault-delete"]').click();
    await row.waitFor({ state: 'detached' });
    assert.deepEqual((await control(emulator.url, 'GET', '/faults')).body.faults, []);
    await page.locator('[data-testid="limit-row"] [data-testid="limit-delete"]').click();
    await page.locator('[data-testid="limit-row"]').waitFor({ state: 'detached' });
    assert.deepEqual((await control(emulator.url, 'GET', '/rate-limits')).body.rate_limits, []);

    // A table pasted from a faults file is read as well as JSON.
    await byTestId('fault-rule').fill('[[fault]]\nname = "from-toml"   # pasted\nmatch = { api = "get_irn" }\nphase = "before"\naction = { type = "latency", ms = 10 }\n');
    await byTestId('fault-add').click();
    await page.locator('[data-testid="fault-row"]', { hasText: 'from-toml' }).waitFor();
    const [pasted] = (await control(emulator.url, 'GET', '/faults')).body.faults;
    assert.deepEqual([pasted.name, pasted.match, pasted.action], ['from-toml', { api: 'get_irn' }, { type: 'latency', ms: 10 }]);
    await page.getByRole('button', { name: 'Remove all faults' }).click();
    await page.locator('[data-testid="fault-row"]').waitFor({ state: 'detached' });
    assert.deepEqual((await control(emulator.url, 'GET', '/faults')).body.faults, []);
    noProblems();
  });

  test('every fault and rate-limit preset the page offers is a rule the emulator accepts', async () => {
    await visit('#faults');
    for (const [kind, list] of [['fault', 'faults'], ['limit', 'rate_limits']]) {
      const presets = page.locator(`[data-${kind}-preset]`);
      const count = await presets.count();
      assert.ok(count >= 2, `${kind} presets are offered`);
      for (let i = 0; i < count; i += 1) {
        await presets.nth(i).click();
        await byTestId(`${kind}-add`).click();
        await page.waitForFunction(([k, n]) => document.querySelectorAll(`[data-testid="${k}-row"]`).length === n
          || !document.querySelector(`[data-testid="${k}-form-error"]`).hidden, [kind, i + 1]);
        assert.equal(await byTestId(`${kind}-form-error`).isHidden(), true, `preset ${i + 1} of the ${kind}s is accepted`);
      }
      const path = kind === 'fault' ? '/faults' : '/rate-limits';
      assert.equal((await control(emulator.url, 'GET', path)).body[list].length, count);
      await page.getByRole('button', { name: kind === 'fault' ? 'Remove all faults' : 'Remove all rate limits' }).click();
      await page.locator(`[data-testid="${kind}-row"]`).first().waitFor({ state: 'detached' });
      assert.deepEqual((await control(emulator.url, 'GET', path)).body[list], []);
    }
    noProblems();
  });

  test('advancing the clock from the page changes what the API answers: cancel after 24 h is refused', async () => {
    const generated = await client.generate('CLK');
    assert.equal(generated.status, 1, generated.text);
    const irn = generated.data.Irn;

    await visit('#clock');
    await byTestId('clock-freeze-now').click();
    await page.waitForFunction(() => /frozen/.test(document.querySelector('[data-testid="clock-state"]').textContent));
    const frozen = (await control(emulator.url, 'GET', '/clock')).body;
    assert.equal(frozen.frozen, true);

    await byTestId('clock-advance-amount').fill('25');
    await byTestId('clock-advance-unit').selectOption({ label: 'hours' });
    await byTestId('clock-advance').click();
    const later = addSeconds(frozen.now, 25 * 3600);
    await page.waitForFunction((want) => document.querySelector('[data-testid="clock-now"]').textContent === want, later);
    assert.equal((await control(emulator.url, 'GET', '/clock')).body.now, later);
    assert.equal((await control(emulator.url, 'GET', '/health')).body.now, later);
    assert.match(await byTestId('clock-offset').textContent(), /^\+1 d 0(0:59|1:00):\d\d from the wall clock$/);
    assert.equal(await byTestId('clock-freeze-at').inputValue(), later, 'the freeze field follows the clock');

    await client.auth(); // the token died with the 25 hours
    const cancel = await client.cancel(irn);
    assert.equal(cancel.status, 0, cancel.text);
    assert.deepEqual(cancel.errors, ['2270'], 'cancellation is closed 24 hours after AckDt');
    await screenshot(page, 'clock');

    // The refusal in the journal, found by its code, with NIC's message.
    const messages = (await control(emulator.url, 'GET', '/error-codes')).body.codes;
    await visit('#journal');
    await byTestId('journal-filter-error-code').fill('2270');
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll('[data-testid="journal-row"]');
      return rows.length === 1 && rows[0].dataset.api === 'cancel_irn';
    });
    const row = page.locator('[data-testid="journal-row"]');
    assert.equal(await row.count(), 1, 'only the refused cancel has 2270');
    await row.press('Enter');
    const codes = await byTestId('journal-detail-codes').textContent();
    assert.ok(codes.includes('2270') && codes.includes(messages['2270']), `NIC's message for 2270 is shown: ${codes}`);
    // Without the filter the refused call stays open above the rest (faulted call included).
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('[data-testid="journal-fault"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="journal-row"]').first().getAttribute('aria-expanded'), 'true');
    await screenshot(page, 'journal');

    // Reset from the page: running again, at wall time, speed 1.
    await visit('#clock');
    await byTestId('clock-reset').click();
    await page.waitForFunction(() => /running/.test(document.querySelector('[data-testid="clock-state"]').textContent));
    const reset = (await control(emulator.url, 'GET', '/clock')).body;
    assert.equal(reset.frozen, false);
    assert.equal(reset.speed, 1);
    const drift = Math.abs(new Date(`${reset.now.replace(' ', 'T')}+05:30`).getTime() - Date.now());
    assert.ok(drift < 5000, `the clock is back at wall time (${drift} ms off)`);
    noProblems();
  });

  test('the taxpayer form shows the API\'s refusal inline and adds a taxpayer to the master', async () => {
    await visit('#taxpayers');
    await page.locator('[data-testid="tp-row"]').first().waitFor();
    const before = (await control(emulator.url, 'GET', '/taxpayers')).body.taxpayers;
    assert.equal(await page.locator('[data-testid="tp-row"]').count(), before.length);

    const bad = { Gstin: '29AAACU1234X', LegalName: 'UI TEST TRADERS', StateCode: 29, AddrPncd: 560001 };
    await byTestId('tp-gstin').fill(bad.Gstin);
    await byTestId('tp-legal-name').fill(bad.LegalName);
    await byTestId('tp-state-code').fill('29');
    await byTestId('tp-pincode').fill('560001');
    await byTestId('tp-submit').click();
    const refusal = await control(emulator.url, 'POST', '/taxpayers', { ...bad, Status: 'ACT', TxpType: 'REG', EinvoiceEnabled: true, Users: [] });
    assert.equal(refusal.status, 400);
    await page.waitForFunction((want) => document.querySelector('[data-testid="tp-form-error"]')?.textContent === want,
      refusal.body.ErrorDetails[0].ErrorMessage);
    provoked(400);

    const good = gstin('29AAACU1234X1Z');
    await byTestId('tp-gstin').fill(good);
    await byTestId('tp-trade-name').fill('UI Test');
    await byTestId('tp-status').selectOption('SUS');
    await byTestId('tp-users').fill('ui_user:Secret@123');
    await byTestId('tp-submit').click();
    await byTestId('tp-form-ok').waitFor();
    await page.locator(`[data-testid="tp-row"][data-gstin="${good}"]`, { hasText: 'SUS' }).waitFor();
    const added = (await control(emulator.url, 'GET', '/taxpayers')).body.taxpayers.find((t) => t.Gstin === good);
    assert.ok(added, 'the master holds the new taxpayer');
    assert.equal(added.Status, 'SUS');
    assert.equal(added.LegalName, 'UI TEST TRADERS');
    assert.deepEqual(added.Users, ['ui_user']);
    await screenshot(page, 'taxpayers');
    noProblems();
  });

  test('the sandbox view shows what a client needs, with copy buttons', async () => {
    const sandbox = (await control(emulator.url, 'GET', '/sandbox')).body;
    await visit('#sandbox');
    await byTestId('sb-client-id').waitFor();
    assert.equal(await byTestId('sb-client-id').textContent(), sandbox.client_id);
    assert.equal(await byTestId('sb-client-secret').textContent(), sandbox.client_secret);
    assert.equal(await byTestId('sb-kid').textContent(), sandbox.signing_kid);
    assert.equal(await byTestId('sb-public-key').textContent(), sandbox.auth_public_key_pem);
    assert.equal(await byTestId('sb-certificate').textContent(), sandbox.signing_certificate_pem);
    assert.equal(await page.locator('[data-testid="sb-users"] tr').count(), sandbox.users.length);
    await byTestId('copy-sb-certificate').click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sandbox.signing_certificate_pem);
    await screenshot(page, 'sandbox');
    noProblems();
  });

  test('keyboard: digits and g-letter switch views, / focuses the filter, j and Enter open a row, ? opens the help', async () => {
    await visit('#journal');
    await page.locator('[data-testid="journal-row"]').first().waitFor();
    await page.keyboard.press('4');
    await byTestId('view-clock').waitFor();
    assert.equal(new URL(page.url()).hash, '#clock');
    assert.equal(await byTestId('view-journal').isHidden(), true);
    assert.equal(await byTestId('tab-clock').getAttribute('aria-current'), 'page');
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await byTestId('view-sandbox').waitFor();
    assert.equal(new URL(page.url()).hash, '#sandbox');
    await page.keyboard.press('1');
    await byTestId('view-journal').waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'journal-filter-gstin');
    await page.keyboard.press('Escape');
    await page.keyboard.press('j');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'journal-row');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-expanded')), 'true');
    await page.keyboard.press('?');
    assert.equal(await byTestId('help').evaluate((d) => d.open), true);
    await page.keyboard.press('Escape');
    assert.equal(await byTestId('help').evaluate((d) => d.open), false);
    // Over every view and test so far, the page asked nothing of any other host.
    assert.deepEqual(requests.filter((u) => !u.startsWith(`${emulator.url}/`) && u !== 'about:blank'), []);
    noProblems();
  });

  test('with several IRPs the page names its IRP, and each call and registration the IRP it went to', async () => {
    const several = await startEmulator(['--irps', 'nic1,nic2']);
    const own = [];
    const p = await openPage(browser, own);
    try {
      assert.deepEqual(several.urls.map((u) => u.name), ['nic1', 'nic2']);
      const [nic1, nic2] = several.urls;
      const first = await (await IrpClient.login(nic1.url)).generate('N1');
      const second = await (await IrpClient.login(nic2.url)).generate('N2');
      assert.equal(first.status, 1, first.text);
      assert.equal(second.status, 1, second.text);
      // NIC-2's page: the journal and the registrations are GSTN-wide, each naming its IRP.
      await p.goto(`${nic2.url}/__emulator__/ui#registrations`);
      await p.waitForFunction(() => document.querySelectorAll('[data-testid="reg-row"] [data-testid="irp-badge"]').length === 2);
      const held = await p.locator('[data-testid="reg-row"]').evaluateAll((rows) => rows.map((r) => [
        r.dataset.irn, r.querySelector('[data-testid="irp-badge"]').textContent,
      ]));
      assert.deepEqual(held, [[second.data.Irn, 'nic2'], [first.data.Irn, 'nic1']]);
      assert.match(await p.locator('#version').textContent(), /· nic2$/);
      await p.goto(`${nic2.url}/__emulator__/ui#journal`);
      await p.locator('[data-testid="journal-row"][data-api="generate_irn"]').nth(1).waitFor();
      const irps = await p.locator('[data-testid="journal-row"][data-api="generate_irn"] [data-testid="irp-badge"]').allTextContents();
      assert.deepEqual(irps, ['nic2', 'nic1']);
      assert.deepEqual(own, [], 'the page logged no error');
    } finally {
      await p.context().close();
      await several.stop();
    }
  });

  test('with an admin token the page asks for it, and the cookie then opens every view', async () => {
    const guarded = await startEmulator(['--admin-token', 'ui-test-token']);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await context.newPage();
      const first = await p.goto(`${guarded.url}/__emulator__/ui#sandbox`);
      assert.equal(first.status(), 401);
      await p.locator('input[name="token"]').fill('not-the-token');
      await p.locator('button[type="submit"]').click();
      await p.getByText('That is not the admin token.').waitFor();
      await p.locator('input[name="token"]').fill('ui-test-token');
      await p.locator('button[type="submit"]').click();
      await p.locator('[data-testid="tab-journal"]').waitFor();
      await p.goto(`${guarded.url}/__emulator__/ui#sandbox`);
      await p.locator('[data-testid="sb-client-id"]').waitFor();
      assert.equal(await p.locator('[data-testid="banner"]').isHidden(), true, 'no refusal banner');
      const cookies = await context.cookies();
      const cookie = cookies.find((c) => c.name === 'irp_emulator_admin');
      assert.ok(cookie, 'the login set its cookie');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');
    } finally {
      await context.close();
      await guarded.stop();
    }
  });
});
