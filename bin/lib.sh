# Shared by bin/demo, bin/test, bin/lint and the benchmarks (sourced, not
# run): the Debian packages, the project's virtual environment (.venv), Odoo
# 18.0 and the Python packages, and PostgreSQL. Every step skips what is done.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_PYTHON=${PYTHON:-python3}
VENV=${HPB_VENV:-$REPO/.venv}
CACHE=$REPO/.cache
PYTHON=$VENV/bin/python
# Odoo's official 18.0 Community source, used when no Odoo 18.0 is found.
ODOO_SOURCE=${ODOO_SOURCE:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}

die() {
    echo "error: $*" >&2
    exit 1
}

step() {
    echo "==> $*"
}

# quietly COMMAND...: run COMMAND with its output kept in a log file, shown
# only if it fails (building Odoo alone prints some 180,000 lines of warnings)
quietly() {
    local log status=0
    log=$(mktemp "${TMPDIR:-/tmp}/hpb-step.XXXXXX")
    "$@" >"$log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        cat "$log" >&2
        echo "error: this step failed (its output above, kept in $log)" >&2
        return "$status"
    fi
    rm -f "$log"
}

is_root() {
    [ "$(id -u)" = 0 ]
}

# need_debian_packages PACKAGE:CHECK ...: install the packages whose check
# fails (as root), or say the one apt-get line to run.
need_debian_packages() {
    local missing=() item
    for item in "$@"; do
        eval "${item#*:}" >/dev/null 2>&1 || missing+=("${item%%:*}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    is_root || die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
    step "Installing Debian packages: ${missing[*]}"
    quietly apt-get update -qq
    DEBIAN_FRONTEND=noninteractive quietly apt-get install -y -qq "${missing[@]}"
}

# The project's virtual environment. It sees the base interpreter's packages
# only when that one already has Odoo 18.0 (so that an Odoo installed on the
# machine is used as it is); packages are never installed outside .venv.
make_venv() {
    [ -x "$PYTHON" ] && return 0
    need_debian_packages "python3-venv:$BASE_PYTHON -c 'import ensurepip, venv'"
    local options=()
    if [ -z "${ODOO_PATH:-}" ] && odoo_serie "$BASE_PYTHON" >/dev/null; then
        options+=(--system-site-packages)
        step "Creating $VENV (with the Odoo 18.0 that $BASE_PYTHON imports)"
    else
        step "Creating $VENV"
    fi
    "$BASE_PYTHON" -m venv "${options[@]}" "$VENV"
    quietly "$PYTHON" -m pip install -q --disable-pip-version-check --upgrade "pip>=23"
}

# The serie of the Odoo that this interpreter imports, if it is complete: its
# addons (web among them) inside the package or beside it in a source tree.
odoo_serie() {
    "$1" -c "
import os, odoo, odoo.release as r
root = os.path.dirname(odoo.__file__)
assert any(os.path.isdir(os.path.join(p, 'web'))
           for p in (os.path.join(root, 'addons'), os.path.join(root, '..', 'addons')))
print(r.serie)" 2>/dev/null
}

# pip_install STAMP ARGS...: pip install ARGS, unless neither ARGS nor the
# files they name changed since the last successful run (seconds, not minutes).
# The constraints carry the build fixes of Odoo's pinned requirements; pip
# applies PIP_CONSTRAINT to build environments, newer pips PIP_BUILD_CONSTRAINT.
pip_install() {
    local stamp=$VENV/.hpb-$1 arg sum files=()
    shift
    for arg in "$@"; do [ -f "$arg" ] && files+=("$arg"); done
    sum=$({ printf '%s\n' "$@" && cat "${files[@]}"; } | sha1sum | cut -d' ' -f1)
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && return 0
    PIP_CONSTRAINT=$REPO/bin/odoo-constraints.txt \
        PIP_BUILD_CONSTRAINT=$REPO/bin/odoo-constraints.txt \
        quietly "$PYTHON" -m pip install --disable-pip-version-check "$@"
    echo "$sum" >"$stamp"
}

# The Odoo 18.0 source of ODOO_SOURCE: a local tree, a git URL or an archive
# URL, downloaded once into .cache (outside git).
odoo_source_tree() {
    if [ -f "$ODOO_SOURCE/odoo-bin" ]; then
        echo "$ODOO_SOURCE"
        return
    fi
    local tree=$CACHE/odoo-18.0
    if [ ! -f "$tree/odoo-bin" ]; then
        rm -rf "$tree" "$tree.part"
        mkdir -p "$CACHE"
        case "$ODOO_SOURCE" in
        *.git | git@* | git+*)
            step "Cloning Odoo 18.0 from ${ODOO_SOURCE#git+} (a few minutes)" >&2
            git clone --progress --depth 1 --branch 18.0 "${ODOO_SOURCE#git+}" "$tree.part" >&2
            ;;
        *)
            step "Downloading Odoo 18.0 from $ODOO_SOURCE (a few minutes)" >&2
            mkdir -p "$tree.part"
            curl -fL --progress-bar "$ODOO_SOURCE" | tar -xz --strip-components=1 -C "$tree.part" >&2
            ;;
        esac
        mv "$tree.part" "$tree"
    fi
    echo "$tree"
}

# A copy of the source tree laid out as Odoo's own packages are, its addons
# inside odoo/addons, so that the installed package has them (a source tree
# keeps them beside it); hard links where the file system allows them.
odoo_package_tree() {
    local build=$CACHE/odoo-18.0-package
    if [ ! -f "$build/.complete" ]; then
        step "Laying out Odoo's package from $1" >&2
        rm -rf "$build"
        mkdir -p "$CACHE"
        cp -al "$1" "$build" 2>/dev/null || cp -a "$1" "$build"
        rm -rf "$build/.git"
        mv "$build"/addons/* "$build/odoo/addons/"
        touch "$build/.complete"
    fi
    echo "$build"
}

# Odoo 18.0, in this order: ODOO_PATH (a source tree), the Odoo that the base
# interpreter imports, the one in .venv; else install it into .venv from
# ODOO_SOURCE as a regular package, so that it shares the odoo.addons
# namespace with the OCA wheels (an editable install would be shadowed).
find_odoo() {
    need_debian_packages "postgresql:command -v pg_ctlcluster"
    make_venv
    local serie root
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo-bin" ] ||
            die "ODOO_PATH=$ODOO_PATH is not an Odoo source tree (no odoo-bin in it)."
        ODOO_PATH=$(cd "$ODOO_PATH" && pwd)
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
        need_build_packages
        pip_install odoo-requirements -r "$ODOO_PATH/requirements.txt"
    elif ! odoo_serie "$PYTHON" >/dev/null; then
        local tree
        tree=$(odoo_source_tree)
        need_build_packages
        step "Installing Odoo's requirements into $VENV"
        pip_install odoo-requirements -r "$tree/requirements.txt"
        tree=$(odoo_package_tree "$tree")
        step "Installing Odoo 18.0 into $VENV (a few minutes)"
        quietly "$PYTHON" -m pip install -q --disable-pip-version-check --no-deps "$tree"
    fi
    serie=$(odoo_serie "$PYTHON") || die "Odoo cannot be imported by $PYTHON."
    [ "$serie" = "18.0" ] || die "this addon needs Odoo 18.0, found Odoo $serie."
    root=$("$PYTHON" -c "import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))")
    ADDONS_PATH=$REPO
    [ -d "$root/addons" ] && ADDONS_PATH="$ADDONS_PATH,$root/addons"
    ODOO=("$PYTHON" -m odoo)
    # the prefork server (--workers) starts its workers again from its own
    # command line, which needs Odoo's launcher, not "python -m odoo"
    ODOO_SERVER=("${ODOO[@]}")
    local base_bin
    base_bin=$("$PYTHON" -c "import os, sys; print(os.path.join(sys.base_prefix, 'bin'))")
    if [ -f "$root/odoo-bin" ]; then
        ODOO_SERVER=("$PYTHON" "$root/odoo-bin")
    elif [ -x "$(dirname "$PYTHON")/odoo" ]; then
        ODOO_SERVER=("$(dirname "$PYTHON")/odoo")
    elif [ -f "$base_bin/odoo" ]; then
        # Odoo installed for the base interpreter, which .venv sees
        ODOO_SERVER=("$PYTHON" "$base_bin/odoo")
    fi
}

# What pip needs to build the sdists among Odoo's pinned requirements.
need_build_packages() {
    need_debian_packages \
        "build-essential:command -v cc" \
        "python3-dev:$BASE_PYTHON -c 'import os, sysconfig; assert os.path.exists(sysconfig.get_paths()[\"include\"] + \"/Python.h\")'" \
        "libpq-dev:command -v pg_config" \
        "libldap2-dev:test -f /usr/include/ldap.h" \
        "libsasl2-dev:test -f /usr/include/sasl/sasl.h"
}

install_python_packages() {
    pip_install requirements -q -r "$REPO/requirements.txt"
    # the OCA addons require "odoo", which no registry carries: found above
    pip_install oca -q --no-deps -r "$REPO/requirements-oca.txt"
    # gevent (Odoo's websocket process, started with --workers) loads its
    # plugins through pkg_resources, which before setuptools 80 misses the
    # packages whose metadata are named the new way (zope.interface 8), and
    # which setuptools 81 no longer has: the process would fail at each of its
    # starts, again and again
    if ! "$PYTHON" -W ignore -c "import pkg_resources as p
for e in p.iter_entry_points('gevent.plugins.monkey.will_patch_all'): e.load()" \
        >/dev/null 2>&1; then
        quietly "$PYTHON" -m pip install -q --disable-pip-version-check "setuptools>=80,<81"
    fi
}

# Start the local PostgreSQL cluster if it is down, and make sure the current
# user has a role (Odoo refuses to connect as "postgres").
postgres_up() {
    if ! pg_isready -q && command -v pg_ctlcluster >/dev/null; then
        step "Starting PostgreSQL"
        local version name _rest
        while read -r version name _rest; do
            if is_root; then
                pg_ctlcluster "$version" "$name" start || true
            else
                pg_ctlcluster "$version" "$name" start 2>/dev/null || true
            fi
        done < <(pg_lsclusters -h)
    fi
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || die "PostgreSQL is not running and could not be started."
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        is_root ||
            die "no PostgreSQL role for $(whoami): run 'sudo -u postgres createuser -s $(whoami)'."
        su postgres -c "createuser -s $(whoami)"
    fi
}

# The two databases of bin/bench and bin/loadtest, without demo data: ours,
# and the peer (the plain OCA stack).
make_bench_dbs() {
    local db modules
    for db in hpb_bench_ours hpb_bench_peer; do
        modules=helpdesk_prepaid_billing,helpdesk_prepaid_billing_time_type,helpdesk_prepaid_billing_contract
        [ "$db" = hpb_bench_peer ] &&
            modules=helpdesk_mgmt_timesheet_sale,sale_project,sale_timesheet,contract_sale_generation
        # made again when one of them is missing (made before retainers)
        if [ "$(psql -d "$db" -tAc "select count(*) from ir_module_module where
                name in ('${modules//,/\',\'}') and state = 'installed'" 2>/dev/null)" \
            != "$(tr ',' '\n' <<<"$modules" | wc -l)" ]; then
            dropdb --if-exists "$db"
            step "Creating the database '$db' with $modules (a few minutes)"
            "${ODOO[@]}" -d "$db" --addons-path="$ADDONS_PATH" -i "$modules" \
                --without-demo=all --stop-after-init --log-level=warn --no-http
        fi
    done
    # our addon's code may have changed since the database was made
    "${ODOO[@]}" -d hpb_bench_ours --addons-path="$ADDONS_PATH" \
        -u helpdesk_prepaid_billing,helpdesk_prepaid_billing_time_type,helpdesk_prepaid_billing_contract \
        --stop-after-init --log-level=warn --no-http
}

prepare() {
    find_odoo
    install_python_packages
    postgres_up
}
