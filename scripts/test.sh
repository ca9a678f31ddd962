#!/usr/bin/env bash
# Install parapp with its test tools into .venv-test (editable) and run lint and the tests.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
# The DOCX tests convert with LibreOffice, the PDF checks use poppler's tools and the GUI
# tests need Qt's system libraries: install them when missing and we may (CI runs as root on
# Debian/Ubuntu).
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
# The hub tests start a throwaway PostgreSQL server (tests/pg_support.py).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || need+=(postgresql)
# Qt's offscreen platform still loads these libraries (and needs one font).
if command -v dpkg >/dev/null 2>&1; then
    # fonts-liberation2: Times New Roman's metrics, as Word on Windows lays the DOCX out.
    for pkg in libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core \
        fonts-liberation2; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
fi
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing ${need[*]} for the document and hub tests..." >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
    else
        echo "Note: ${need[*]} missing; the tests that need them will be skipped." >&2
    fi
fi
make_venv .venv-test
.venv-test/bin/python -m pip install --quiet -e ".[test]" >&2
.venv-test/bin/ruff check parapp db ui tests scripts bench
.venv-test/bin/mypy  # parapp/, db/ and ui/, as [tool.mypy] in pyproject.toml says
.venv-test/bin/lint-imports --no-cache  # the layers in .importlinter (docs/development.md)
.venv-test/bin/python -m pytest "$@"
