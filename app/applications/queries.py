"""The read side of the applying pages: a fixed number of statements whatever a call
holds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select

from app.auth.models import User
from app.calls.models import (
    APPLICATION_STATES,
    Application,
    ApplicationFile,
    Call,
    ReviewScore,
)
from app.core.paging import Paged
from app.extensions import db

PER_PAGE = 50


def application_and_call(application_id: int) -> tuple[Application, Call] | None:
    row = db.session.execute(select(Application, Call).join(Call, Call.id == Application.call_id)
                             .where(Application.id == application_id)).first()
    return (row[0], row[1]) if row else None


def my_applications(user_id: int) -> list[tuple[Application, Call]]:
    rows = db.session.execute(select(Application, Call).join(Call, Call.id == Application.call_id)
                              .where(Application.applicant_id == user_id)
                              .order_by(Application.created_at.desc(), Application.id.desc()))
    return [(row[0], row[1]) for row in rows]


def review_started(application_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        ReviewScore.application_id == application_id))))


def file_rows(application_id: int) -> dict[str, ApplicationFile]:
    """The documents of an application, without their content."""
    return {row.field_key: row for row in db.session.scalars(select(ApplicationFile).where(
        ApplicationFile.application_id == application_id))}


@dataclass(frozen=True)
class ListFilters:
    state: str | None = None
    country: str | None = None
    eligible: bool | None = None

    @classmethod
    def read(cls, state: str | None, country: str | None, eligible: str | None
             ) -> ListFilters:
        return cls(state if state in APPLICATION_STATES else None,
                   country.upper() if country and len(country) == 2 else None,
                   {"yes": True, "no": False}.get(eligible or ""))

    def args(self) -> dict[str, str]:
        args = {"state": self.state or "", "country": self.country or "",
                "eligible": {True: "yes", False: "no"}.get(self.eligible, "")}  # type: ignore[arg-type]
        return {key: value for key, value in args.items() if value}


def _listed(call_id: int, filters: ListFilters) -> Select[Application, str, str]:
    statement = (select(Application, User.name, User.email)
                 .join(User, User.id == Application.applicant_id)
                 .where(Application.call_id == call_id))
    if filters.state:
        statement = statement.where(Application.state == filters.state)
    if filters.country:
        statement = statement.where(Application.nationality == filters.country)
    if filters.eligible is not None:
        statement = statement.where(Application.eligible.is_(filters.eligible))
    return statement.order_by(Application.submitted_at.is_(None), Application.submitted_at,
                              Application.id)


@dataclass(frozen=True)
class Listed:
    application: Application
    name: str
    email: str


@dataclass(frozen=True)
class Page(Paged):
    """One page of a listing, with what the `pager` macro reads."""

    items: list[Listed]
    page: int
    total: int
    per_page: int = PER_PAGE


def call_applications(call_id: int, filters: ListFilters, page: int) -> Page:
    """One page of the call's applications with their applicant's name and e-mail (two
    statements: the count and the page)."""
    statement = _listed(call_id, filters)
    total = db.session.scalar(select(func.count()).select_from(
        statement.order_by(None).subquery())) or 0
    rows = db.session.execute(statement.limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return Page([Listed(row.Application, row.name, row.email) for row in rows], page, total)


def call_countries(call_id: int) -> list[str]:
    return list(db.session.scalars(select(Application.nationality).distinct().where(
        Application.call_id == call_id, Application.nationality.is_not(None))))


def state_counts(call_id: int) -> dict[str, int]:
    rows = db.session.execute(select(Application.state, func.count()).where(
        Application.call_id == call_id).group_by(Application.state))
    return {state: count for state, count in rows}


def applicant(user_id: int) -> User | None:
    return db.session.get(User, user_id)
