"""The meanings of electronic signatures, in the reader's language.

A signature's meaning is stored in the words that were signed, in English: they are part of
what the audit chain verifies, and they stay the same whatever language the signer or a
later reader uses. Each feature that signs registers its meanings here in its `init_app`,
with the translatable words a page shows for them; every page, form and export that shows a
signature reads `meaning_shown`.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import LazyString

from app.core.registry import Registry

MEANINGS: Registry[LazyString] = Registry("signature meanings")


def register_meaning(app: Flask, signed: str, shown: LazyString) -> None:
    """`signed`, the stored English words, is shown as `shown` (a lazy translation)."""
    MEANINGS.register(app, signed, shown)


def meaning_shown(signed: str) -> str:
    """The meaning in the reader's language; the words as signed when no feature registers
    them (a meaning from an older version of TrainHub)."""
    shown = MEANINGS.find(signed)
    return str(shown) if shown is not None else signed
