"""What `records verify` checks beyond the chain's own links: the chain against its anchor
outside the database and against a head an inspector kept on paper, and the records the
chain governs against the chain (the pure replay is app/records/replay.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Integer, Select, cast, func, select

from app.core.registry import Registry
from app.extensions import db
from app.records.anchor import AnchorLine, AnchorTarget, parse_line
from app.records.keys import UNKEYED
from app.records.models import Event
from app.records.replay import BOOKS, Book, Difference, Fact, Key, Row, reconcile

# Anchor lines are checked this many at a time: one query per batch, memory stays flat.
BATCH = 1000
# More problems than this are counted, not listed.
LISTED = 20


@dataclass
class AnchorReport:
    description: str
    readable: bool = True
    lines: int = 0
    newest_seq: int = 0
    chain_end: int = 0
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        if len(self.problems) < LISTED:
            self.problems.append(problem)
        else:
            self.more_problems += 1


def chain_head() -> tuple[int, str] | None:
    """The newest event's number and link, as the database holds them now."""
    row = db.session.execute(select(Event.seq, Event.hash).order_by(Event.seq.desc())
                             .limit(1)).first()
    return (row.seq, row.hash) if row else None


def check_anchor(target: AnchorTarget) -> AnchorReport:
    """Every anchored link must still be in the chain, unchanged, and the chain must reach
    the newest anchored event: fewer events is a truncation, another link a rewrite."""
    report = AnchorReport(target.description)
    lines = target.read()
    if lines is None:
        report.readable = False
        return report
    head = chain_head()
    report.chain_end = head[0] if head else 0
    newest: tuple[int, AnchorLine] | None = None
    numbered = enumerate(lines, start=1)
    while batch := list(islice(numbered, BATCH)):
        parsed = []
        for number, text in batch:
            line = parse_line(text)
            if line is None:
                report.add(f"anchor line {number} is not an anchor line ({text.strip()[:60]!r})")
                continue
            parsed.append((number, line))
            if newest is None or line.seq > newest[1].seq:
                newest = (number, line)
        report.lines += len(parsed)
        links = dict(db.session.execute(select(Event.seq, Event.hash).where(
            Event.seq.in_({line.seq for _, line in parsed}))).all())
        for number, line in parsed:
            stored = links.get(line.seq)
            if stored is None and line.seq <= report.chain_end:
                report.add(f"anchor line {number}: event number {line.seq} is not in the chain")
            elif stored is not None and stored != line.hash:
                report.add(f"anchor line {number}: event number {line.seq} has link "
                           f"{stored[:16]}..., the anchor says {line.hash[:16]}... (rewritten)")
    if newest is not None:
        number, line = newest
        report.newest_seq = line.seq
        if line.seq > report.chain_end:
            report.add(f"the anchor's newest event is number {line.seq} (line {number}, "
                       f"anchored {line.at or 'at an unknown time'}), but the chain ends at "
                       f"number {report.chain_end}: events {report.chain_end + 1} to "
                       f"{line.seq} are missing from the database (truncated)")
    elif _has_keyed_events():
        report.add("the anchor holds no lines, but the chain has events sealed since the "
                   "anchor was introduced: the anchor was removed or replaced, or "
                   "RECORDS_ANCHOR points elsewhere than where the anchor was written")
    return report


def _has_keyed_events() -> bool:
    return db.session.scalar(select(Event.id).where(Event.key_id != UNKEYED).limit(1)) \
        is not None


def parse_head(text: str) -> tuple[int, str]:
    """`SEQ:HASH` as `records anchor` prints it; ValueError if it is not that."""
    seq, _, link = text.strip().partition(":")
    if not seq.isdigit() or int(seq) < 1 or len(link) != 64 \
            or any(c not in "0123456789abcdef" for c in link.lower()):
        raise ValueError("give the head as NUMBER:HASH, as `flask records anchor` prints it")
    return int(seq), link.lower()


def check_head(seq: int, link: str) -> str | None:
    """Why the chain does not hold event `seq` with link `link`, or None if it does."""
    stored = db.session.scalar(select(Event.hash).where(Event.seq == seq))
    if stored is None:
        end = db.session.scalar(select(func.max(Event.seq))) or 0
        return (f"event number {seq} of the expected head is not in the chain, which ends "
                f"at number {end} (truncated)")
    if stored != link:
        return (f"event number {seq} has link {stored}, not the expected {link} "
                "(rewritten)")
    return None


def anchor_lines_after(report: AnchorReport) -> Iterator[str]:
    """What an operator reads about a good anchor."""
    if not report.readable:
        yield (f"Anchor: written to {report.description}, which cannot be read back here: "
               "compare it with the chain by hand, or use --expect-head.")
        return
    yield (f"Anchor verified: {report.lines} lines in {report.description}, newest event "
           f"number {report.newest_seq}; every anchored link is in the chain.")
    behind = report.chain_end - report.newest_seq
    if behind > 0:
        yield f"{behind} events after the newest anchored one are not anchored yet."


# --- reconciliation: the records against the events that govern them -------------------------


def _facts(book: Book) -> Iterator[Fact]:
    subject = cast(Event.subject_id, Integer)
    order = {"subject": (subject,), "learner_subject": (Event.learner_id, subject),
             "subject_learner": (subject, Event.learner_id)}[book.order]
    statement = (select(Event.seq, Event.action, Event.subject_id, Event.learner_id,
                        Event.course_id, Event.details)
                 .where(Event.action.in_(book.actions), Event.subject_type == book.subject_type)
                 .order_by(*order, Event.seq).execution_options(yield_per=BATCH))
    if book.order != "subject":
        statement = statement.where(Event.learner_id.is_not(None))
    with closing(db.session.execute(statement)) as rows:
        for row in rows:
            yield Fact(row.seq, row.action, row.subject_id, row.learner_id, row.course_id,
                       row.details)


def stream_rows(statement: Select[*tuple[Any, ...]]) -> Iterator[Any]:
    """A table read for reconciliation, fetched in batches so memory stays flat."""
    with closing(db.session.execute(statement.execution_options(yield_per=BATCH))) as rows:
        yield from rows


# How each governed table is read, by table name, as its rows' key and the fields its book
# compares: registered by the feature that owns the table, in its init_app, so that records
# (which every feature writes to) imports none of them.
RowReader = Callable[[], Iterator[tuple[Key, Row]]]
ROW_READERS: Registry[RowReader] = Registry("records row readers")


def reconcile_records() -> Iterator[Difference]:
    """Each row of the governed tables whose current values no event accounts for, table by
    table; events and rows are streamed side by side."""
    for book in BOOKS:
        yield from reconcile(book, _facts(book), ROW_READERS.get(book.table)())
