# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's README.rst, made from its readme/ fragments, as OCA's
oca-gen-addon-readme does (these fragments need no more than inline code made
literal). "--check": exit 1 when README.rst is not what the fragments give.

    python readme.py ADDON_DIR [--check]"""

import re
import sys
from pathlib import Path

HEADER = """\
========================
Helpdesk Prepaid Billing
========================

..
   Generated from the fragments in readme/ (DESCRIPTION, CONFIGURE, USAGE,
   ROADMAP, CONTRIBUTORS); edit those, not this file.

|badge1|

.. |badge1| image:: https://img.shields.io/badge/license-AGPL--3-blue.png
    :target: http://www.gnu.org/licenses/agpl-3.0-standalone.html
    :alt: License: AGPL-3

"""
SECTIONS = [
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration\n============="),
    ("USAGE", "Usage\n====="),
    ("ROADMAP", "Known issues / Roadmap\n======================"),
    ("CONTRIBUTORS", "Credits\n=======\n\nContributors\n------------"),
]


def render(addon):
    parts = []
    for name, title in SECTIONS:
        text = (addon / "readme" / f"{name}.md").read_text().strip("\n")
        text = re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"``\1``", text)
        parts.append(f"{title}\n\n{text}" if title else text)
        if name == "DESCRIPTION":
            parts.append("**Table of contents**\n\n.. contents::\n   :local:")
    return HEADER + "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    addon = Path(sys.argv[1])
    readme = addon / "README.rst"
    text = render(addon)
    if "--check" in sys.argv[2:]:
        if readme.read_text() != text:
            sys.exit(f"{readme} is not made from readme/: run bin/lint --fix")
    else:
        readme.write_text(text)
