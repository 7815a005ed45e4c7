# Shared by bin/demo and bin/test (sourced, not run): find Odoo 18.0, install
# the Python packages from PyPI and bring PostgreSQL up.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

die() {
    echo "error: $*" >&2
    exit 1
}

# Odoo 18.0 is not on PyPI: use an importable "odoo", or the source tree
# given as ODOO_PATH (the folder that holds odoo-bin).
find_odoo() {
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo-bin" ] ||
            die "ODOO_PATH=$ODOO_PATH is not an Odoo source tree (no odoo-bin in it)."
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    fi
    local serie
    serie=$("$PYTHON" -c "import odoo.release as r; print(r.serie)" 2>/dev/null) ||
        die "Odoo 18.0 was not found: '$PYTHON' cannot import odoo. Install Odoo 18.0 \
(Community) with its requirements.txt, then make it importable or run again with \
ODOO_PATH=/path/to/odoo (the folder that holds odoo-bin)."
    [ "$serie" = "18.0" ] || die "this addon needs Odoo 18.0, found Odoo $serie."
    local root
    root=$("$PYTHON" -c "import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))")
    ADDONS_PATH=$REPO
    [ -d "$root/addons" ] && ADDONS_PATH="$ADDONS_PATH,$root/addons"
    ODOO=("$PYTHON" -m odoo)
}

install_python_packages() {
    "$PYTHON" -m pip install -q --disable-pip-version-check -r "$REPO/requirements.txt"
    "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps \
        -r "$REPO/requirements-oca.txt"
}

# Start the local PostgreSQL cluster if it is down, and make sure the current
# user has a role (Odoo refuses to connect as "postgres").
postgres_up() {
    command -v pg_isready >/dev/null ||
        die "PostgreSQL is not installed (Debian: apt-get install postgresql)."
    if ! pg_isready -q && command -v pg_ctlcluster >/dev/null; then
        local version name _rest
        while read -r version name _rest; do
            if [ "$(id -u)" = 0 ]; then
                pg_ctlcluster "$version" "$name" start || true
            else
                pg_ctlcluster "$version" "$name" start 2>/dev/null || true
            fi
        done < <(pg_lsclusters -h)
    fi
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL is not running and could not be started."
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] ||
            die "no PostgreSQL role for $(whoami): run 'sudo -u postgres createuser -s $(whoami)'."
        su postgres -c "createuser -s $(whoami)"
    fi
}

prepare() {
    find_odoo
    install_python_packages
    postgres_up
}
