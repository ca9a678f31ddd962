#!/usr/bin/env bash
# Install parapp with its test tools into .venv-test (editable) and run lint and the tests.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
make_venv .venv-test
.venv-test/bin/python -m pip install --quiet -e ".[test]" >&2
.venv-test/bin/ruff check parapp db ui tests scripts bench
.venv-test/bin/python -m pytest "$@"
