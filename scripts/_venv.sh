# Shared by scripts/demo.sh and scripts/test.sh: make sure a virtual environment can be
# created on a fresh Debian/Ubuntu machine (python3-venv is a separate package there).
set -euo pipefail

ensure_python() {
    if ! python3 -c "import sys; sys.exit(sys.version_info < (3, 11))" >/dev/null 2>&1; then
        echo "parapp needs Python 3.11 or newer; this machine has $(python3 --version 2>&1)." >&2
        exit 1
    fi
}

ensure_venv_support() {
    ensure_python
    if python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing python3-venv (needed to create a virtual environment)..." >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
    else
        echo "Python's venv module is missing: install it with 'sudo apt-get install python3-venv'." >&2
        exit 1
    fi
}

make_venv() {  # make_venv DIR
    ensure_venv_support
    if [ ! -x "$1/bin/python" ]; then
        python3 -m venv "$1" >&2
    fi
    "$1/bin/python" -m pip install --quiet --upgrade pip >&2
}
