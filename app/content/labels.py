"""The words a page shows for the codes course files use: a module's modality."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Translators: how a module is taught, on its badge and on certificates.
MODALITY_NAMES = {
    "virtual": _l("virtual"),
    "classroom": _l("classroom"),
    "hands-on": _l("hands-on"),
}


def modality_name(code: str) -> str:
    """'virtual', 'classroom', 'hands-on' in the interface's language; an unknown code as is."""
    return str(MODALITY_NAMES.get(code, code))
