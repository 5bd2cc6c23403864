"""The short code and title every programme and intake has: both given, the code unique
among the centre's programmes (or intakes)."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from sqlalchemy import select

from app.core.errors import ValidationError
from app.extensions import db


def code_and_title_errors(model: Any, centre_id: int, code: str, title: str,
                          own_id: int | None, messages: tuple[LazyString, LazyString,
                                                              LazyString]
                          ) -> list[ValidationError]:
    """`messages`: no code, the code taken at this centre, no title."""
    no_code, taken, no_title = messages
    errors: list[ValidationError] = []
    if not code:
        errors.append(ValidationError(no_code, field="code"))
    elif db.session.scalar(select(model.id).where(
            model.centre_id == centre_id, model.code == code,
            model.id != (own_id or 0))) is not None:
        errors.append(ValidationError(taken, field="code"))
    if not title:
        errors.append(ValidationError(no_title, field="title"))
    return errors
