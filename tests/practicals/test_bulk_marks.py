"""A checklist marked in one go: the exceptions marked, the others met, changed before the
signature; a wrong mark stores none."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import ValidationError
from app.extensions import db
from app.practicals.models import PracticalAssessment, PracticalMark
from app.practicals.services import ItemMark, open_assessment, save_marks
from tests.blended import Gxp, unlock_gowning
from tests.conftest import DEFAULT_PASSWORD, login


@pytest.fixture
def opened(gxp: Gxp, clock) -> PracticalAssessment:
    amina = gxp.learners[0]
    unlock_gowning(gxp, amina, clock())
    assessment = open_assessment(gxp.instructor, gxp.checklist, amina, clock())
    db.session.commit()
    return assessment


def _marks() -> dict[str, str]:
    return {m.item_key: m.mark for m in db.session.scalars(select(PracticalMark))}


def test_a_wrong_mark_stores_none_of_the_batch(gxp: Gxp, opened, clock) -> None:
    marks = {item["key"]: ItemMark("met") for item in opened.items}
    marks[opened.items[-1]["key"]] = ItemMark("perfect")
    with pytest.raises(ValidationError):
        save_marks(gxp.instructor, opened, marks, clock())
    assert _marks() == {}


def test_all_met_then_the_exceptions_then_signed(client, gxp: Gxp, opened) -> None:
    login(client, gxp.instructor.email)
    url = f"/practicals/{opened.id}/"
    assert "Save, the others met" in client.get(url).get_data(as_text=True)
    first = opened.items[0]["key"]
    page = client.post(url, data={"others": "met", f"mark-{first}": "not_met",
                                  f"note-{first}": "ring left on"}, follow_redirects=True)
    assert page.status_code == 200
    db.session.expire_all()
    keys = [item["key"] for item in opened.items]
    assert _marks() == {key: "not_met" if key == first else "met" for key in keys}
    # The exception was a mistake: the assessor changes it, with every other mark kept.
    page = client.post(url, data={f"mark-{key}": "met" for key in keys},
                       follow_redirects=True)
    db.session.expire_all()
    assert set(_marks().values()) == {"met"}
    assert "Assessed: competent" in page.get_data(as_text=True)
    signed = client.post(f"/practicals/{opened.id}/sign",
                         data={"password": DEFAULT_PASSWORD, "confirm": "y"},
                         follow_redirects=True)
    assert b"Signed: Assessed: competent." in signed.data


def test_without_the_others_button_unmarked_items_stay_unmarked(client, gxp: Gxp,
                                                                opened) -> None:
    login(client, gxp.instructor.email)
    first = opened.items[0]["key"]
    client.post(f"/practicals/{opened.id}/", data={f"mark-{first}": "met"})
    assert _marks() == {first: "met"}
