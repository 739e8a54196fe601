// A complete e-invoice client for the IRP emulator (NIC e-invoice API v1.03/v1.04).
//
// It authenticates, looks up a GSTIN, generates an IRN for a sample invoice, verifies the
// signed invoice and the signed QR code, gets the IRN back, cancels it and checks that it
// is cancelled. One line per step; exit status 0 only when every step and check passed.
//
// Environment:
//   IRP_BASE_URL   the emulator, e.g. http://127.0.0.1:8080 (required)
//   IRP_INVOICE    the invoice to post (default: examples/invoices/b2b-intra-state.json)
//
// Everything else (client id and secret, user and password, the auth public key and the
// signing certificate) comes from the emulator's GET /__emulator__/sandbox. Against NIC's
// sandbox you would read them from your own configuration instead.
//
// Node.js 20, no npm packages: built-in `crypto` and the global `fetch`.

import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_INVOICE = join(HERE, '..', '..', 'invoices', 'b2b-intra-state.json');
const TIMEOUT_MS = 30_000;

class Failed extends Error {}

function step(text) {
  console.log(`ok   ${text}`);
}

function check(condition, text) {
  if (!condition) throw new Failed(text);
}

// --- Crypto: the four primitives of the wire protocol ------------------------------------

/** AES-256-ECB with PKCS#7 padding (NIC's payload encryption). */
function aesEncrypt(key, plaintext) {
  const cipher = crypto.createCipheriv('aes-256-ecb', key, null);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

function aesDecrypt(key, ciphertext) {
  const decipher = crypto.createDecipheriv(`aes-${key.length * 8}-ecb`, key, null);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** RSA PKCS#1 v1.5 (not OAEP) with the IRP's auth public key. */
function rsaEncrypt(publicKeyPem, plaintext) {
  return crypto.publicEncrypt({ key: publicKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING }, plaintext);
}

/** Checks an RS256 compact JWS against the certificate; returns { header, payload }. */
function verifyJws(jws, certificate) {
  const parts = jws.split('.');
  check(parts.length === 3, 'a JWS has three dot-separated parts');
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  check(header.alg === 'RS256', `JWS alg is RS256, got ${header.alg}`);
  // kid = upper-case hex SHA-1 of the certificate (DER), as NIC publishes it.
  const thumbprint = certificate.fingerprint.replaceAll(':', '').toUpperCase();
  check(header.kid === thumbprint, `JWS kid ${header.kid} is the certificate's ${thumbprint}`);
  const valid = crypto.verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'),
    { key: certificate.publicKey, padding: crypto.constants.RSA_PKCS1_PADDING },
    Buffer.from(parts[2], 'base64url'),
  );
  check(valid, 'JWS signature does not verify with the signing certificate');
  return { header, payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) };
}

// --- The IRP's envelope ------------------------------------------------------------------

async function http(method, url, headers, body, what) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new Failed(`${what}: cannot reach ${url}: ${e.cause?.message ?? e.message}`);
  }
  const text = await response.text();
  const snippet = text.replace(/\s+/g, ' ').slice(0, 300); // the start of an unexpected answer, on one line
  if (response.status !== 200) throw new Failed(`${what}: HTTP ${response.status}: ${snippet}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Failed(`${what}: the answer is not JSON: ${snippet}`);
  }
}

class Irp {
  constructor(baseUrl, sandbox) {
    this.baseUrl = baseUrl;
    this.clientId = sandbox.client_id;
    this.clientSecret = sandbox.client_secret;
    this.authPublicKeyPem = sandbox.auth_public_key_pem;
  }

  headers() {
    return {
      client_id: this.clientId,
      client_secret: this.clientSecret,
      Gstin: this.gstin,
      user_name: this.username,
      AuthToken: this.token,
      'Content-Type': 'application/json',
    };
  }

  static envelope(body, what) {
    if (body.Status !== 1) {
      throw new Failed(`${what}: Status ${body.Status}, ErrorDetails ${JSON.stringify(body.ErrorDetails)}`);
    }
    return body;
  }

  /** `Data` of a success answer: base64 of AES-ECB(SEK, JSON text). */
  openData(body) {
    return JSON.parse(aesDecrypt(this.sek, Buffer.from(body.Data, 'base64')).toString('utf8'));
  }

  async auth(gstin, username, password) {
    const appKey = crypto.randomBytes(32);
    const credentials = {
      UserName: username,
      Password: password,
      AppKey: appKey.toString('base64'),
      ForceRefreshAccessToken: false,
    };
    // JSON -> base64 -> RSA PKCS#1 v1.5 -> base64.
    const plain = Buffer.from(Buffer.from(JSON.stringify(credentials), 'utf8').toString('base64'), 'ascii');
    const data = rsaEncrypt(this.authPublicKeyPem, plain).toString('base64');
    const headers = {
      client_id: this.clientId,
      client_secret: this.clientSecret,
      Gstin: gstin,
      'Content-Type': 'application/json',
    };
    const body = await http('POST', `${this.baseUrl}/eivital/v1.04/auth`, headers, { Data: data }, 'auth');
    const answer = Irp.envelope(body, 'auth').Data; // auth's Data is plain JSON
    Object.assign(this, { gstin, username, token: answer.AuthToken });
    // Sek = base64(AES-256-ECB(AppKey, SEK)); the SEK encrypts everything from here on.
    this.sek = aesDecrypt(appKey, Buffer.from(answer.Sek, 'base64'));
    check(this.sek.length === 32, `SEK is 32 bytes, got ${this.sek.length}`);
    return answer;
  }

  async get(path, what) {
    const body = await http('GET', `${this.baseUrl}${path}`, this.headers(), undefined, what);
    return this.openData(Irp.envelope(body, what));
  }

  async post(path, payload, what) {
    const sealed = aesEncrypt(this.sek, Buffer.from(JSON.stringify(payload), 'utf8'));
    const envelope = { Data: sealed.toString('base64') };
    const body = await http('POST', `${this.baseUrl}${path}`, this.headers(), envelope, what);
    return this.openData(Irp.envelope(body, what));
  }
}

// --- The run -----------------------------------------------------------------------------

/** 16 characters at most, [A-Za-z0-9/-], not starting with 0, / or -. */
function freshDocumentNumber(prefix) {
  const stamp = Date.now().toString(36).toUpperCase();
  return `${prefix}-${stamp}-${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
}

function financialYear(ddmmyyyy) {
  const [, month, year] = ddmmyyyy.split('/').map(Number);
  const start = month >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

async function run(baseUrl) {
  // 1. Configuration from the emulator's control namespace.
  // The control namespace answers loopback callers; an emulator in another container or
  // host is started with an admin token, sent as a bearer token.
  const token = process.env.IRP_EMULATOR_ADMIN_TOKEN;
  const admin = token ? { Authorization: `Bearer ${token}` } : {};
  const sandbox = await http('GET', `${baseUrl}/__emulator__/sandbox`, admin, undefined, 'sandbox');
  const certificate = new crypto.X509Certificate(sandbox.signing_certificate_pem);
  const users = sandbox.users;
  step(`sandbox: client ${sandbox.client_id}, ${users.length} users, certificate kid ${sandbox.signing_kid}`);

  const invoice = JSON.parse(readFileSync(process.env.IRP_INVOICE || DEFAULT_INVOICE, 'utf8'));
  const seller = invoice.SellerDtls.Gstin;
  const buyer = invoice.BuyerDtls.Gstin;
  const docNo = freshDocumentNumber('JS');
  invoice.DocDtls.No = docNo;
  // The seller's user; a user with a `clients` list may log in only through those clients.
  const user = users.find(
    (u) => u.gstin === seller && (u.clients.length === 0 || u.clients.includes(sandbox.client_id)),
  );
  check(user !== undefined, `sandbox has no user for the seller ${seller}`);

  const irp = new Irp(baseUrl, sandbox);

  // 2. Auth.
  const login = await irp.auth(seller, user.username, user.password);
  step(`auth: ${user.username} for ${seller}, token till ${login.TokenExpiry}, SEK ${irp.sek.length} bytes`);

  // 3. Get GSTIN details of the buyer (of the seller for an export: its buyer is "URP").
  const party = buyer === 'URP' ? seller : buyer;
  const details = await irp.get(`/eivital/v1.03/Master/gstin/${party}`, 'get GSTIN details');
  check(details.Gstin === party, `GSTIN details are for ${party}, got ${details.Gstin}`);
  check(details.Status === 'ACT', `${party} is active, got ${details.Status}`);
  step(`get GSTIN details: ${party} ${details.LegalName}, status ${details.Status}`);

  // 4. Generate IRN.
  const generated = await irp.post('/eicore/v1.03/Invoice', invoice, 'generate IRN');
  const irn = generated.Irn;
  check(generated.Status === 'ACT', `new IRN is ACT, got ${generated.Status}`);
  const fy = financialYear(invoice.DocDtls.Dt);
  const expectedIrn = crypto
    .createHash('sha256')
    .update(`${seller}${fy}${invoice.DocDtls.Typ}${docNo.toUpperCase()}`, 'utf8')
    .digest('hex');
  check(irn === expectedIrn, `IRN is SHA-256(GSTIN + FY + type + number): ${irn} != ${expectedIrn}`);
  // AckNo (15 digits) and EwbNo (12 digits) are JSON numbers below 2^53: exact in JavaScript.
  const ewb = generated.EwbNo ? `, EwbNo ${generated.EwbNo}` : '';
  step(`generate IRN: ${docNo} -> AckNo ${generated.AckNo}, Irn ${irn}${ewb}`);

  // 5. Verify the signed invoice.
  let { payload } = verifyJws(generated.SignedInvoice, certificate);
  check(payload.iss === sandbox.issuer, `signed invoice iss is ${sandbox.issuer}, got ${payload.iss}`);
  const signed = JSON.parse(payload.data); // `data` is the invoice JSON as a string
  check(signed.Irn === irn, `signed invoice Irn ${signed.Irn} is the answer's ${irn}`);
  check(signed.AckNo === generated.AckNo, 'signed invoice AckNo is the answer\'s');
  check(signed.DocDtls.No === docNo, `signed invoice DocNo ${signed.DocDtls.No} is ${docNo}`);
  check(signed.SellerDtls.Gstin === seller, 'signed invoice seller is ours');
  check(signed.ValDtls.TotInvVal === invoice.ValDtls.TotInvVal, 'signed invoice total is ours');
  step('verify SignedInvoice: RS256 signature valid, Irn, AckNo, DocNo, seller and total match');

  // 6. Verify the signed QR code.
  ({ payload } = verifyJws(generated.SignedQRCode, certificate));
  const qr = JSON.parse(payload.data);
  check(qr.Irn === irn, `QR Irn ${qr.Irn} is the answer's ${irn}`);
  check(qr.DocNo === docNo, `QR DocNo ${qr.DocNo} is ${docNo}`);
  check(qr.SellerGstin === seller, `QR SellerGstin ${qr.SellerGstin} is ${seller}`);
  check(qr.BuyerGstin === buyer, `QR BuyerGstin ${qr.BuyerGstin} is ${buyer}`);
  check(qr.DocDt === invoice.DocDtls.Dt, 'QR DocDt is the invoice\'s');
  check(qr.TotInvVal === invoice.ValDtls.TotInvVal, 'QR TotInvVal is the invoice\'s');
  check(qr.ItemCnt === invoice.ItemList.length, 'QR ItemCnt is the number of items');
  check(qr.IrnDt === generated.AckDt, 'QR IrnDt is the AckDt');
  step(`verify SignedQRCode: RS256 signature valid, ${Object.keys(qr).length} fields, Irn and DocNo match`);

  // 7. Get IRN.
  let got = await irp.get(`/eicore/v1.03/Invoice/irn/${irn}`, 'get IRN');
  check(got.Irn === irn, `Get IRN returns ${irn}, got ${got.Irn}`);
  check(got.AckNo === generated.AckNo, 'Get IRN returns the same AckNo');
  check(got.SignedInvoice === generated.SignedInvoice, 'Get IRN returns the same signed invoice');
  check(got.Status === 'ACT', `IRN is ACT, got ${got.Status}`);
  step(`get IRN: ${irn} is ${got.Status}, same signed invoice`);

  // 8. An IRN with an active e-way bill cannot be cancelled (2230): cancel the e-way bill
  // first. This API is the e-way bill system's (sandbox only), with its own lower-case
  // envelope: {"action": "CANEWB", "data": AES(SEK, JSON)} -> {"status": "1", "data": ...}.
  if (generated.EwbNo) {
    const ewbNo = generated.EwbNo;
    const request = { ewbNo, cancelRsnCode: 2, cancelRmrk: 'Order cancelled' };
    const sealed = aesEncrypt(irp.sek, Buffer.from(JSON.stringify(request), 'utf8'));
    const body = await http(
      'POST',
      `${baseUrl}/ewaybillapi/v1.03/ewayapi`,
      irp.headers(),
      { action: 'CANEWB', data: sealed.toString('base64') },
      'cancel e-way bill',
    );
    if (body.status !== '1') {
      throw new Failed(`cancel e-way bill: ${Buffer.from(body.error ?? '', 'base64').toString('utf8')}`);
    }
    const answer = JSON.parse(aesDecrypt(irp.sek, Buffer.from(body.data, 'base64')).toString('utf8'));
    check(answer.ewayBillNo === String(ewbNo), `cancelled e-way bill ${answer.ewayBillNo} is ${ewbNo}`);
    step(`cancel e-way bill: ${ewbNo} cancelled at ${answer.cancelDate}`);
  }

  // 9. Cancel IRN (reason 1 = duplicate, 2 = data entry mistake, 3 = order cancelled, 4 = others).
  const cancelled = await irp.post(
    '/eicore/v1.03/Invoice/Cancel',
    { Irn: irn, CnlRsn: '1', CnlRem: 'Raised twice by the example client' },
    'cancel IRN',
  );
  check(cancelled.Irn === irn, `cancelled Irn ${cancelled.Irn} is ${irn}`);
  step(`cancel IRN: cancelled at ${cancelled.CancelDate}`);

  got = await irp.get(`/eicore/v1.03/Invoice/irn/${irn}`, 'get IRN after cancel');
  check(got.Status === 'CNL', `IRN is CNL after cancel, got ${got.Status}`);
  step(`get IRN after cancel: ${irn} is ${got.Status}`);
}

const baseUrl = (process.env.IRP_BASE_URL ?? '').replace(/\/+$/, '');
if (!baseUrl) {
  console.error('FAIL set IRP_BASE_URL, e.g. http://127.0.0.1:8080');
  process.exit(2);
}
try {
  await run(baseUrl);
  console.log('PASS every step and check');
} catch (e) {
  console.error(e instanceof Failed ? `FAIL ${e.message}` : `FAIL ${e.stack ?? e}`);
  process.exit(1);
}
