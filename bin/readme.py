# Copyright 2026 helpdesk_prepaid_billing developers
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's README.rst and the description page that Odoo's Apps shows
(static/description/index.html), made from its readme/ fragments, as OCA's
oca-gen-addon-readme does (these fragments need no more than inline code made
literal and images). "--check": exit 1 when either file is not what the
fragments give.

    python readme.py ADDON_DIR [--check]"""

import ast
import re
import sys
from pathlib import Path

from docutils.core import publish_parts

HEADER = """\
{rule}
{name}
{rule}

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
        # a picture alone on its line: ![alt](static/description/file.png)
        text = re.sub(
            r"^!\[([^]]*)\]\(([^)]+)\)$",
            r".. image:: \2\n   :alt: \1",
            text,
            flags=re.MULTILINE,
        )
        parts.append(f"{title}\n\n{text}" if title else text)
        if name == "DESCRIPTION":
            parts.append("**Table of contents**\n\n.. contents::\n   :local:")
    name = ast.literal_eval((addon / "__manifest__.py").read_text())["name"]
    header = HEADER.format(name=name, rule="=" * len(name))
    return header + "\n\n".join(parts) + "\n"


def render_html(rst):
    """The description page: the README's HTML body. Its pictures are named
    by their file alone, which Odoo serves from static/description/."""
    rst = rst.replace(".. image:: static/description/", ".. image:: ")
    parts = publish_parts(
        rst,
        writer_name="html5",
        settings_overrides={"report_level": 5, "halt_level": 5},
    )
    return (
        '<section class="oe_container">\n'
        f"{parts['html_title']}{parts['body']}</section>\n"
    )


if __name__ == "__main__":
    addon = Path(sys.argv[1])
    readme = addon / "README.rst"
    page = addon / "static" / "description" / "index.html"
    text = render(addon)
    html = render_html(text)
    if "--check" in sys.argv[2:]:
        if readme.read_text() != text or page.read_text() != html:
            sys.exit(f"{readme} or {page} is not made from readme/: run bin/lint --fix")
    else:
        readme.write_text(text)
        page.write_text(html)
