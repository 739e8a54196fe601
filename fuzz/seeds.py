#!/usr/bin/env python3
"""Writes the seed corpus (fuzz/corpus/<target>/seed-*): a few valid requests per target,
from the golden invoice and the scenario files. Run from anywhere; rewrites the seeds."""
import base64, json, pathlib, shutil

root = pathlib.Path(__file__).resolve().parent
repo = root.parent
golden = json.loads((repo / "emulator/tests/fixtures/golden/signed-documents.json").read_text())
invoice = json.loads(golden["simple"]["invoice_data"])
irn = invoice.pop("Irn")
for key in ("AckNo", "AckDt"):
    invoice.pop(key)
for item in invoice["ItemList"]:
    item.pop("ItemNo", None)
compact = lambda v: json.dumps(v, separators=(",", ":")).encode()


def write(target, name, data):
    folder = root / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(data)


credentials = compact({"UserName": "large_supplier", "Password": "Emulator@123",
                       "AppKey": base64.b64encode(bytes([0x13] * 32)).decode(),
                       "ForceRefreshAccessToken": False})
write("auth", "valid", b"\x01" + credentials)
write("auth", "v103-other-gstin", b"\x11Gstin: 27AAACB4444D1Z3\n\n" + credentials)
write("auth", "raw-body", b"\x00" + compact({"Data": "bm90IGEgYmxvY2s="}))
write("auth", "data-string", b"\x03" + base64.b64encode(b"x" * 256))

write("envelope", "generate", b"\x02" + compact(invoice))
write("envelope", "cancel", b"\x06" + compact({"Irn": irn, "CnlRsn": "1", "CnlRem": "Wrong entry"}))
write("envelope", "ewaybill", b"\x0a" + compact({"Irn": irn, "Distance": 100, "TransMode": "1",
                                                "VehNo": "KA01AB1234", "VehType": "R"}))
write("envelope", "cancel-ewb", b"\x0f" + compact({"ewbNo": 121000000001, "cancelRsnCode": 2,
                                                  "cancelRmrk": "Cancelled"}))
write("envelope", "get-irn", b"\x10" + irn.encode())
write("envelope", "irn-by-document", b"\x14doctype=INV&docnum=GOLD/0001&docdate=30/03/2026")
write("envelope", "gstin", b"\x18" + b"29AAACB3333C1Z7")
write("envelope", "ewb-by-irn", b"\x1c" + irn.encode())
write("envelope", "raw-body", b"\x00" + compact({"Data": "AAAA"}))

write("invoice", "valid", compact(invoice))
write("invoice", "edits", bytes([5, 3]) + b"B2C" + bytes([40, 0]))

(root / "corpus/scenario").mkdir(parents=True, exist_ok=True)
for name in ("auth_login", "cancel_irn", "get_irn"):
    shutil.copyfile(repo / f"scenarios/onboarding/{name}.json", root / f"corpus/scenario/seed-{name}")
