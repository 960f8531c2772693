"""How a CAD file is named by the products that want it: one normalisation for every match.

A product list names its CAD file as people write it (``05-2RSR.stp``, ``05-2rsr``,
``05-2RSR.STEP``); the match ignores case, surrounding spaces and the extension
(``.step``/``.stp``/``.p21``). The Excel import matches with it, and so does the CAD pipeline when
a file becomes ready (``cad.linking``): both sides compute the key in Python and compare it as
stored (``products.cad_file_key``), never with the database's locale-dependent ``lower()``.
"""

from __future__ import annotations

import re

_EXTENSION = re.compile(r"\.(step|stp|p21)$", re.IGNORECASE)


def cad_key(name: str) -> str:
    """``' 05-2RSR.STP '`` → ``'05-2rsr'``."""
    return _EXTENSION.sub("", name.strip()).casefold().strip()
