#!/usr/bin/env bash
# Install parapp into .venv (a normal, non-editable install) and build the demo office.
# Usage: scripts/demo.sh [DIR]   (DIR must be empty or absent; default /tmp/parapp-demo-<time>)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
make_venv .venv
.venv/bin/python -m pip install --quiet . >&2
dir="${1:-/tmp/parapp-demo-$(date +%Y%m%d-%H%M%S)}"
.venv/bin/parapp demo "$dir"
echo "Try: .venv/bin/parapp --db $dir/commune/parapp.sqlite3 assessment show" >&2
