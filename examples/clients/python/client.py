#!/usr/bin/env python3
"""A complete e-invoice client for the IRP emulator (NIC e-invoice API v1.03/v1.04).

It authenticates, looks up a GSTIN, generates an IRN for a sample invoice, verifies the
signed invoice and the signed QR code, gets the IRN back, cancels it and checks that it is
cancelled. One line per step; exit status 0 only when every step and check passed.

Environment:
    IRP_BASE_URL   the emulator, e.g. http://127.0.0.1:8080 (required)
    IRP_INVOICE    the invoice to post (default: examples/invoices/b2b-intra-state.json)

Everything else (client id and secret, user and password, the auth public key and the
signing certificate) comes from the emulator's GET /__emulator__/sandbox. Against NIC's
sandbox you would read them from your own configuration instead.

Dependencies: requests, cryptography.
"""

import base64
import hashlib
import json
import os
import secrets
import sys
import time
from pathlib import Path

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = Path(__file__).resolve().parent
DEFAULT_INVOICE = HERE.parent.parent / "invoices" / "b2b-intra-state.json"
TIMEOUT = 30  # seconds per HTTP call


class Failed(Exception):
    """A step or a check did not pass."""


def step(text):
    print(f"ok   {text}", flush=True)


def check(condition, text):
    if not condition:
        raise Failed(text)


# --- Crypto: the four primitives of the wire protocol -------------------------------------


def aes_encrypt(key, plaintext):
    """AES-256-ECB with PKCS#7 padding (NIC's payload encryption)."""
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def aes_decrypt(key, ciphertext):
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def rsa_encrypt(public_key_pem, plaintext):
    """RSA PKCS#1 v1.5 (not OAEP) with the IRP's auth public key."""
    key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    return key.encrypt(plaintext, rsa_padding.PKCS1v15())


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_jws(jws, certificate):
    """Checks an RS256 compact JWS against the certificate; returns (header, payload)."""
    parts = jws.split(".")
    check(len(parts) == 3, "a JWS has three dot-separated parts")
    header = json.loads(b64url_decode(parts[0]))
    check(header.get("alg") == "RS256", f"JWS alg is RS256, got {header.get('alg')!r}")
    # kid = upper-case hex SHA-1 of the certificate (DER), as NIC publishes it.
    thumbprint = certificate.fingerprint(hashes.SHA1()).hex().upper()
    check(header.get("kid") == thumbprint, f"JWS kid {header.get('kid')} is the certificate's {thumbprint}")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    try:
        certificate.public_key().verify(
            b64url_decode(parts[2]), signing_input, rsa_padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        raise Failed("JWS signature does not verify with the signing certificate") from None
    return header, json.loads(b64url_decode(parts[1]))


# --- The IRP's envelope -----------------------------------------------------------------


def snippet(text):
    """The start of an unexpected answer, on one line."""
    return " ".join(text.split())[:300]


def answer_json(response, what):
    """The JSON of an HTTP 200 answer; anything else fails the step."""
    if response.status_code != 200:
        raise Failed(f"{what}: HTTP {response.status_code}: {snippet(response.text)}")
    try:
        return response.json()
    except ValueError:
        raise Failed(f"{what}: the answer is not JSON: {snippet(response.text)}") from None


class Irp:
    def __init__(self, base_url, sandbox):
        self.base_url = base_url.rstrip("/")
        self.client_id = sandbox["client_id"]
        self.client_secret = sandbox["client_secret"]
        self.auth_public_key_pem = sandbox["auth_public_key_pem"]
        self.gstin = None
        self.username = None
        self.token = None
        self.sek = None
        self.http = requests.Session()

    def headers(self):
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "Gstin": self.gstin,
            "user_name": self.username,
            "AuthToken": self.token,
            "Content-Type": "application/json",
        }

    @staticmethod
    def envelope(response, what):
        body = answer_json(response, what)
        if body.get("Status") != 1:
            errors = json.dumps(body.get("ErrorDetails"))
            raise Failed(f"{what}: Status {body.get('Status')}, ErrorDetails {errors}")
        return body

    def open_data(self, body):
        """`Data` of a success answer: base64 of AES-ECB(SEK, JSON text)."""
        return json.loads(aes_decrypt(self.sek, base64.b64decode(body["Data"])))

    def auth(self, gstin, username, password):
        app_key = secrets.token_bytes(32)
        credentials = {
            "UserName": username,
            "Password": password,
            "AppKey": base64.b64encode(app_key).decode("ascii"),
            "ForceRefreshAccessToken": False,
        }
        # JSON -> base64 -> RSA PKCS#1 v1.5 -> base64.
        plain = base64.b64encode(json.dumps(credentials).encode("utf-8"))
        data = base64.b64encode(rsa_encrypt(self.auth_public_key_pem, plain)).decode("ascii")
        response = self.http.post(
            f"{self.base_url}/eivital/v1.04/auth",
            headers={
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "Gstin": gstin,
                "Content-Type": "application/json",
            },
            json={"Data": data},
            timeout=TIMEOUT,
        )
        answer = self.envelope(response, "auth")["Data"]  # auth's Data is plain JSON
        self.gstin, self.username, self.token = gstin, username, answer["AuthToken"]
        # Sek = base64(AES-256-ECB(AppKey, SEK)); the SEK encrypts everything from here on.
        self.sek = aes_decrypt(app_key, base64.b64decode(answer["Sek"]))
        check(len(self.sek) == 32, f"SEK is 32 bytes, got {len(self.sek)}")
        return answer

    def get(self, path, what):
        response = self.http.get(f"{self.base_url}{path}", headers=self.headers(), timeout=TIMEOUT)
        return self.open_data(self.envelope(response, what))

    def post(self, path, payload, what):
        sealed = aes_encrypt(self.sek, json.dumps(payload).encode("utf-8"))
        response = self.http.post(
            f"{self.base_url}{path}",
            headers=self.headers(),
            json={"Data": base64.b64encode(sealed).decode("ascii")},
            timeout=TIMEOUT,
        )
        return self.open_data(self.envelope(response, what))


# --- The run ------------------------------------------------------------------------------


def fresh_document_number(prefix):
    """16 characters at most, [A-Za-z0-9/-], not starting with 0, / or -."""
    millis = int(time.time() * 1000)
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    stamp = ""
    while millis:
        millis, r = divmod(millis, 36)
        stamp = digits[r] + stamp
    return f"{prefix}-{stamp}-{secrets.token_hex(2).upper()}"


def financial_year(ddmmyyyy):
    _, month, year = (int(x) for x in ddmmyyyy.split("/"))
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def run(base_url):
    # 1. Configuration from the emulator's control namespace.
    try:
        # The control namespace answers loopback callers; an emulator in another container
        # or host is started with an admin token, sent as a bearer token.
        token = os.environ.get("IRP_EMULATOR_ADMIN_TOKEN")
        admin = {"Authorization": f"Bearer {token}"} if token else {}
        sandbox = requests.get(f"{base_url}/__emulator__/sandbox", headers=admin, timeout=TIMEOUT)
    except requests.RequestException as e:
        raise Failed(f"cannot reach the emulator at {base_url}: {e}") from None
    sandbox = answer_json(sandbox, "sandbox")
    certificate = x509.load_pem_x509_certificate(sandbox["signing_certificate_pem"].encode("ascii"))
    users = sandbox["users"]
    step(f"sandbox: client {sandbox['client_id']}, {len(users)} users, certificate kid {sandbox['signing_kid']}")

    invoice = json.loads(Path(os.environ.get("IRP_INVOICE") or DEFAULT_INVOICE).read_text())
    seller = invoice["SellerDtls"]["Gstin"]
    buyer = invoice["BuyerDtls"]["Gstin"]
    doc_no = fresh_document_number("PY")
    invoice["DocDtls"]["No"] = doc_no
    # The seller's user; a user with a `clients` list may log in only through those clients.
    mine = [u for u in users if u["gstin"] == seller]
    user = next((u for u in mine if not u["clients"] or sandbox["client_id"] in u["clients"]), None)
    check(user is not None, f"sandbox has no user for the seller {seller}")

    irp = Irp(base_url, sandbox)

    # 2. Auth.
    login = irp.auth(seller, user["username"], user["password"])
    step(f"auth: {user['username']} for {seller}, token till {login['TokenExpiry']}, SEK {len(irp.sek)} bytes")

    # 3. Get GSTIN details of the buyer (of the seller for an export: its buyer is "URP").
    party = seller if buyer == "URP" else buyer
    details = irp.get(f"/eivital/v1.03/Master/gstin/{party}", "get GSTIN details")
    check(details.get("Gstin") == party, f"GSTIN details are for {party}, got {details.get('Gstin')}")
    check(details.get("Status") == "ACT", f"{party} is active, got {details.get('Status')}")
    step(f"get GSTIN details: {party} {details['LegalName']}, status {details['Status']}")

    # 4. Generate IRN.
    generated = irp.post("/eicore/v1.03/Invoice", invoice, "generate IRN")
    irn = generated["Irn"]
    check(generated.get("Status") == "ACT", f"new IRN is ACT, got {generated.get('Status')}")
    fy = financial_year(invoice["DocDtls"]["Dt"])
    hashed = f"{seller}{fy}{invoice['DocDtls']['Typ']}{doc_no.upper()}"
    expected_irn = hashlib.sha256(hashed.encode("utf-8")).hexdigest()
    check(irn == expected_irn, f"IRN is SHA-256(GSTIN + FY + type + number): {irn} != {expected_irn}")
    ewb = f", EwbNo {generated['EwbNo']}" if generated.get("EwbNo") else ""
    step(f"generate IRN: {doc_no} -> AckNo {generated['AckNo']}, Irn {irn}{ewb}")

    # 5. Verify the signed invoice.
    _, payload = verify_jws(generated["SignedInvoice"], certificate)
    issuer = sandbox["issuer"]
    check(payload.get("iss") == issuer, f"signed invoice iss is {issuer!r}, got {payload.get('iss')!r}")
    signed = json.loads(payload["data"])  # `data` is the invoice JSON as a string
    check(signed.get("Irn") == irn, f"signed invoice Irn {signed.get('Irn')} is the answer's {irn}")
    check(signed.get("AckNo") == generated["AckNo"], "signed invoice AckNo is the answer's")
    check(signed["DocDtls"]["No"] == doc_no, f"signed invoice DocNo {signed['DocDtls']['No']} is {doc_no}")
    check(signed["SellerDtls"]["Gstin"] == seller, "signed invoice seller is ours")
    check(signed["ValDtls"]["TotInvVal"] == invoice["ValDtls"]["TotInvVal"], "signed invoice total is ours")
    step("verify SignedInvoice: RS256 signature valid, Irn, AckNo, DocNo, seller and total match")

    # 6. Verify the signed QR code.
    _, payload = verify_jws(generated["SignedQRCode"], certificate)
    qr = json.loads(payload["data"])
    check(qr.get("Irn") == irn, f"QR Irn {qr.get('Irn')} is the answer's {irn}")
    check(qr.get("DocNo") == doc_no, f"QR DocNo {qr.get('DocNo')} is {doc_no}")
    check(qr.get("SellerGstin") == seller, f"QR SellerGstin {qr.get('SellerGstin')} is {seller}")
    check(qr.get("BuyerGstin") == buyer, f"QR BuyerGstin {qr.get('BuyerGstin')} is {buyer}")
    check(qr.get("DocDt") == invoice["DocDtls"]["Dt"], "QR DocDt is the invoice's")
    check(qr.get("TotInvVal") == invoice["ValDtls"]["TotInvVal"], "QR TotInvVal is the invoice's")
    check(qr.get("ItemCnt") == len(invoice["ItemList"]), "QR ItemCnt is the number of items")
    check(qr.get("IrnDt") == generated["AckDt"], "QR IrnDt is the AckDt")
    step(f"verify SignedQRCode: RS256 signature valid, {len(qr)} fields, Irn and DocNo match")

    # 7. Get IRN.
    got = irp.get(f"/eicore/v1.03/Invoice/irn/{irn}", "get IRN")
    check(got.get("Irn") == irn, f"Get IRN returns {irn}, got {got.get('Irn')}")
    check(got.get("AckNo") == generated["AckNo"], "Get IRN returns the same AckNo")
    check(got.get("SignedInvoice") == generated["SignedInvoice"], "Get IRN returns the same signed invoice")
    check(got.get("Status") == "ACT", f"IRN is ACT, got {got.get('Status')}")
    step(f"get IRN: {irn} is {got['Status']}, same signed invoice")

    # 8. An IRN with an active e-way bill cannot be cancelled (2230): cancel the e-way bill
    # first. This API is the e-way bill system's (sandbox only), with its own lower-case
    # envelope: {"action": "CANEWB", "data": AES(SEK, JSON)} -> {"status": "1", "data": ...}.
    if generated.get("EwbNo"):
        ewb_no = generated["EwbNo"]
        request = {"ewbNo": ewb_no, "cancelRsnCode": 2, "cancelRmrk": "Order cancelled"}
        sealed = aes_encrypt(irp.sek, json.dumps(request).encode("utf-8"))
        response = irp.http.post(
            f"{irp.base_url}/ewaybillapi/v1.03/ewayapi",
            headers=irp.headers(),
            json={"action": "CANEWB", "data": base64.b64encode(sealed).decode("ascii")},
            timeout=TIMEOUT,
        )
        body = answer_json(response, "cancel e-way bill")
        if body.get("status") != "1":
            error = base64.b64decode(body.get("error") or "").decode("utf-8", "replace")
            raise Failed(f"cancel e-way bill: {error}")
        answer = json.loads(aes_decrypt(irp.sek, base64.b64decode(body["data"])))
        cancelled_no = answer.get("ewayBillNo")  # a string, as NIC answers
        check(cancelled_no == str(ewb_no), f"cancelled e-way bill {cancelled_no} is {ewb_no}")
        step(f"cancel e-way bill: {ewb_no} cancelled at {answer['cancelDate']}")

    # 9. Cancel IRN (reason 1 = duplicate, 2 = data entry mistake, 3 = order cancelled, 4 = others).
    cancelled = irp.post(
        "/eicore/v1.03/Invoice/Cancel",
        {"Irn": irn, "CnlRsn": "1", "CnlRem": "Raised twice by the example client"},
        "cancel IRN",
    )
    check(cancelled.get("Irn") == irn, f"cancelled Irn {cancelled.get('Irn')} is {irn}")
    step(f"cancel IRN: cancelled at {cancelled['CancelDate']}")

    got = irp.get(f"/eicore/v1.03/Invoice/irn/{irn}", "get IRN after cancel")
    check(got.get("Status") == "CNL", f"IRN is CNL after cancel, got {got.get('Status')}")
    step(f"get IRN after cancel: {irn} is {got['Status']}")


def main():
    base_url = os.environ.get("IRP_BASE_URL", "").rstrip("/")
    if not base_url:
        print("FAIL set IRP_BASE_URL, e.g. http://127.0.0.1:8080", file=sys.stderr)
        return 2
    try:
        run(base_url)
    except Failed as e:
        print(f"FAIL {e}", file=sys.stderr)
        return 1
    except requests.RequestException as e:
        print(f"FAIL HTTP: {e}", file=sys.stderr)
        return 1
    print("PASS every step and check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
