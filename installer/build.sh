#!/usr/bin/env bash
# Build dist/parapp-setup-<version>.exe from a clean checkout, on Debian/Ubuntu (as root it
# installs the tools it needs) or under Git Bash on Windows (NSIS from `choco install nsis`).
# The work is done by installer/build.py; arguments are passed on (--out DIR, --work DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

# Any Python 3.11 or newer runs the build (the installer byte-compiles with the bundled one).
PY=${PYTHON:-}
if [ -z "$PY" ]; then
    for candidate in python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            PY=$candidate
            break
        fi
    done
fi
if [ -z "$PY" ]; then
    echo "The installer build needs Python 3.11 or newer; set PYTHON=/path/to/python3." >&2
    exit 1
fi
# pefile reads the DLLs' import tables: Debian's package for Debian's own Python, else pip.
is_venv() { "$PY" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; }

case "$(uname -s)" in
    Linux*)
        need=()
        command -v makensis >/dev/null 2>&1 || need+=(nsis)
        command -v osslsigncode >/dev/null 2>&1 || need+=(osslsigncode)
        command -v 7z >/dev/null 2>&1 || need+=(p7zip-full)
        "$PY" -c 'import pefile' 2>/dev/null || is_venv || need+=(python3-pefile)
        if [ ${#need[@]} -gt 0 ]; then
            if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
                echo "Installing ${need[*]}..." >&2
                apt-get update -qq >&2
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
            else
                echo "Missing tools: sudo apt-get install ${need[*]}" >&2
                exit 1
            fi
        fi
        ;;
esac

"$PY" -c 'import pefile' 2>/dev/null || "$PY" -m pip install --quiet "pefile>=2023.2.7"
exec "$PY" installer/build.py "$@"
