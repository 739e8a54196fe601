#!/usr/bin/env bash
# Runs the Node.js example client against the emulator at IRP_BASE_URL.
set -euo pipefail
cd "$(dirname "$0")"
: "${IRP_BASE_URL:?set IRP_BASE_URL to the emulator, e.g. http://127.0.0.1:8080}"
exec node client.mjs
