# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon installs the OCA way: a wheel that Odoo finds in a virtual
environment, with its data files, translations and static assets."""

import ast
import email
import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ADDON = Path(__file__).resolve().parents[1] / "helpdesk_prepaid_billing"

FIND_ADDON = """
import json
import odoo
from odoo.modules.module import get_module_path, initialize_sys_path
initialize_sys_path()
print(json.dumps({"odoo": odoo.release.serie,
                  "path": get_module_path("helpdesk_prepaid_billing")}))
"""


def build_wheel(addon, tmp_path):
    """The wheel of ``addon``: its path, its files and what it requires."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps"]
        + ["--wheel-dir", str(tmp_path / "dist"), str(addon)],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob(
        f"odoo_addon_{addon.name}-18.0.*-py3-none-any.whl"
    )
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(metadata_name))
    return wheel, names, metadata.get_all("Requires-Dist")


def test_wheel_installs_and_odoo_finds_the_addon(tmp_path):
    wheel, _names, requires = build_wheel(ADDON, tmp_path)
    assert "odoo==18.0.*" in requires
    assert "odoo-addon-helpdesk_mgmt_timesheet_sale==18.0.*" in requires

    # a scratch virtual environment that has Odoo: it sees this
    # interpreter's packages (Odoo, the OCA addons), but not this checkout
    scratch = tmp_path / "venv"
    venv.create(scratch, with_pip=False)
    python = scratch / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    repo = ADDON.parent
    inherited = [p for p in sys.path if p and Path(p).is_dir() and Path(p) != repo]
    (site / "zz_parent_env.pth").write_text("\n".join(inherited) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
        + ["--no-deps", str(wheel)],
        check=True,
    )
    found = json.loads(
        subprocess.check_output([python, "-c", FIND_ADDON], cwd=tmp_path, text=True)
    )
    installed = site / "odoo" / "addons" / "helpdesk_prepaid_billing"
    assert found == {"odoo": "18.0", "path": str(installed)}

    manifest = ast.literal_eval((installed / "__manifest__.py").read_text())
    for name in manifest["data"] + manifest["demo"]:
        assert (installed / name).is_file(), name
    assert (installed / "i18n" / "fr.po").is_file()
    assert list((installed / "static" / "tests" / "tours").glob("*.js"))


def test_work_types_wheel(tmp_path):
    """The work types addon is a wheel of its own that brings OCA's time
    types and requires the addon; it carries its data and translations."""
    bridge = ADDON.parent / "helpdesk_prepaid_billing_time_type"
    _wheel, names, requires = build_wheel(bridge, tmp_path)
    assert "odoo-addon-helpdesk_prepaid_billing==18.0.*" in requires
    assert "odoo-addon-hr_timesheet_time_type==18.0.*" in requires
    manifest = ast.literal_eval((bridge / "__manifest__.py").read_text())
    root = "odoo/addons/helpdesk_prepaid_billing_time_type/"
    for name in manifest["data"] + manifest["demo"] + ["i18n/fr.po"]:
        assert root + name in names, name


def test_retainers_wheel(tmp_path):
    """The retainers addon is a wheel of its own that brings OCA's contracts
    (their sales order generation) and requires the addon."""
    bridge = ADDON.parent / "helpdesk_prepaid_billing_contract"
    _wheel, names, requires = build_wheel(bridge, tmp_path)
    assert "odoo-addon-helpdesk_prepaid_billing==18.0.*" in requires
    assert "odoo-addon-contract_sale_generation==18.0.*" in requires
    manifest = ast.literal_eval((bridge / "__manifest__.py").read_text())
    root = "odoo/addons/helpdesk_prepaid_billing_contract/"
    for name in manifest["data"] + manifest["demo"] + ["i18n/fr.po"]:
        assert root + name in names, name
