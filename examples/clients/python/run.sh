#!/usr/bin/env bash
# Runs the Python example client against the emulator at IRP_BASE_URL.
set -euo pipefail
# IRP_INVOICE (optional) is read relative to where you are, not to this folder.
if [ -n "${IRP_INVOICE:-}" ]; then
  IRP_INVOICE=$(realpath "$IRP_INVOICE")
  export IRP_INVOICE
fi
cd "$(dirname "$0")"
: "${IRP_BASE_URL:?set IRP_BASE_URL to the emulator, e.g. http://127.0.0.1:8080}"
if ! python3 -c 'import requests, cryptography' 2>/dev/null; then
  echo "FAIL the Python example needs requests and cryptography: pip install requests cryptography" >&2
  exit 1
fi
exec python3 client.py
