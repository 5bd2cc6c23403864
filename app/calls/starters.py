"""What a new call starts with: the ready form and rubric of a call for centres (an
expression of interest to join the network), which its author may change; a trainee call
starts empty. The words are the author's page language: they become the call's own text."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

CENTRE_FORM: list[dict[str, Any]] = [
    {"key": "institution", "kind": "text", "label": _l("Name of the institution"),
     "required": True, "max_length": 200},
    {"key": "address", "kind": "long_text", "label": _l("Address"), "required": True,
     "max_words": 100},
    {"key": "website", "kind": "text", "label": _l("Website"), "required": False,
     "max_length": 300},
    {"key": "contact_person", "kind": "text", "label": _l("Contact person (name, position, "
                                                          "e-mail)"),
     "required": True, "max_length": 300},
    {"key": "facilities", "kind": "long_text",
     "label": _l("Facilities and GMP status"),
     "help": _l("Training rooms, pilot plant or cleanrooms, and their GMP certification."),
     "required": True, "max_words": 800},
    {"key": "staff", "kind": "number", "label": _l("Number of training staff"),
     "required": True, "min": 0, "whole": True},
    {"key": "letter_of_intent", "kind": "file", "label": _l("Letter of intent (PDF)"),
     "help": _l("Signed by the head of the institution."), "required": True, "max_mb": 5},
]
CENTRE_RUBRIC: list[dict[str, Any]] = [
    {"key": "facilities", "label": _l("Facilities and GMP status"), "max": 10},
    {"key": "staff", "label": _l("Training staff and experience"), "max": 10},
    {"key": "commitment", "label": _l("Commitment and regional reach"), "max": 10},
]


def _words(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{name: str(value) if name in ("label", "help") else value
             for name, value in row.items()} for row in rows]


def centre_form() -> list[dict[str, Any]]:
    return _words(CENTRE_FORM)


def centre_rubric() -> list[dict[str, Any]]:
    return _words(CENTRE_RUBRIC)
