"""Personal data is kept for the call's `retention_months` after it closes, then deleted:
the travel details' rows go, the call says when (`Call.personal_deleted_at`), and the audit
chain says how many, never what. A daily job and `flask applications delete-personal` call
the one service."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import delete, func, select

from app.auth.models import User
from app.calls.models import Application, ApplicationPersonal, Call
from app.core.boundary import run_command
from app.core.time import now as clock
from app.extensions import db
from app.jobs import periodic
from app.records.services import record_event


def months_after(moment: datetime, months: int) -> datetime:
    """The same wall-clock time `months` calendar months later (31 March + 1 = 30 April)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def delete_after(call: Call) -> datetime:
    return months_after(call.closes_at, call.retention_months)


@dataclass(frozen=True)
class Deleted:
    call_id: int
    rows: int


def delete_expired_personal(actor: User | None, now: datetime, *, automatic: bool = False
                            ) -> list[Deleted]:
    """Delete the personal data of every call whose retention has run out (`automatic`:
    the daily job, not a person or the command line)."""
    calls = db.session.scalars(select(Call).where(Call.personal_deleted_at.is_(None),
                                                  Call.closes_at <= now)
                               .order_by(Call.id)).all()
    done: list[Deleted] = []
    for call in calls:
        if delete_after(call) > now:
            continue
        of_call = select(Application.id).where(Application.call_id == call.id)
        rows = db.session.scalar(select(func.count()).select_from(ApplicationPersonal)
                                 .where(ApplicationPersonal.application_id.in_(of_call))) or 0
        db.session.execute(delete(ApplicationPersonal)
                           .where(ApplicationPersonal.application_id.in_(of_call))
                           .execution_options(synchronize_session=False))
        call.personal_deleted_at = now
        record_event("application.personal_deleted", actor=actor, now=now, subject_type="call",
                     subject_id=call.id, automatic=automatic,
                     details={"call_id": call.id, "deleted": rows,
                              "retention_months": call.retention_months})
        done.append(Deleted(call.id, rows))
    db.session.flush()
    return done


@periodic("applications.delete_personal", hour="3", minute="30")
def delete_personal_daily(now: datetime) -> int:
    return sum(deleted.rows for deleted in delete_expired_personal(None, now, automatic=True))


applications_cli = AppGroup("applications", help="Applications to calls.")


@applications_cli.command("delete-personal")
def delete_personal_command() -> None:
    """Delete the travel details of every call past its retention period."""
    deleted = run_command(lambda: delete_expired_personal(None, clock()))
    for item in deleted:
        click.echo(f"call {item.call_id}: {item.rows} travel details deleted")
    if not deleted:
        click.echo("nothing is past its retention period")
