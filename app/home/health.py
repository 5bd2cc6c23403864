"""What `/healthz` reports: each dependency of this node, in one cheap look at each.

- `database`: "ok", or "unavailable" when it cannot be reached, or "error" when it answers
  but refuses the statement (a schema without its migrations, say). Either way the node
  cannot serve log-ins or pages: the answer is 503 and the load balancer sends no one here.
- `rate_limit_store`: "ok" or "unavailable". Unavailable is *degraded*, not down: log-ins
  are counted in the database, and the other limits in this process's memory until the
  store answers (app/core/outages.py).
- `job_queue`: "ok" or "unavailable" (Huey's storage, from JOBS_URL), and `jobs_waiting`,
  the jobs queued and not yet taken by a worker. Unavailable is degraded too: pages work,
  and what the jobs do waits or is done by their next periodic run.
- `mail_outbox_oldest_seconds`: how long the oldest message due has waited for a worker to
  send it (null when none waits). A figure, not a verdict: a monitor decides how old is
  too old (a stopped worker shows here first).

One statement, read in the same look as the database check.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from app.core.outages import is_database_outage
from app.extensions import db, limiter
from app.jobs import huey_for
from app.mail.queries import oldest_due

OK, UNAVAILABLE, ERROR = "ok", "unavailable", "error"


@dataclass(frozen=True)
class Health:
    status: str  # "ok", "degraded" (still serving), or "unavailable" (503)
    database: str
    engine: str
    rate_limit_store: str
    job_queue: str
    jobs_waiting: int | None
    mail_outbox_oldest_seconds: int | None
    detail: str | None = None

    @property
    def serving(self) -> bool:
        return self.database == OK

    def as_json(self) -> dict[str, Any]:
        return {name: value for name, value in asdict(self).items()
                if name != "detail" or value is not None}


def _rate_limit_store() -> str:
    try:
        return OK if limiter.storage.check() else UNAVAILABLE
    except Exception:  # any failure of the store is its being unavailable
        return UNAVAILABLE


def _job_queue() -> tuple[str, int | None]:
    try:
        return OK, int(huey_for().pending_count())
    except Exception:  # Redis or the SQLite file, whatever it raises
        return UNAVAILABLE, None


def check_health(now: datetime) -> Health:
    detail = None
    try:
        oldest = oldest_due(now)  # the database's check, and the outbox's figure
        database = OK
    except SQLAlchemyError as error:
        db.session.rollback()
        oldest, detail = None, type(error).__name__
        database = UNAVAILABLE if is_database_outage(error) else ERROR
    store = _rate_limit_store()
    queue, waiting = _job_queue()
    if database != OK:
        status = "unavailable"
    elif OK == store == queue:
        status = "ok"
    else:
        status = "degraded"
    age = None if oldest is None else max(0, math.floor((now - oldest).total_seconds()))
    return Health(status=status, database=database, engine=db.engine.dialect.name,
                  rate_limit_store=store, job_queue=queue, jobs_waiting=waiting,
                  mail_outbox_oldest_seconds=age, detail=detail)
