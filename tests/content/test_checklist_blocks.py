"""Checklist blocks: items, sections, critical marks and settings, with their lines."""

from textwrap import dedent

import pytest

from app.content.checklist_blocks import read_checklist
from app.content.render import inline_renderer
from app.content.specs import Problems


def test_checklist() -> None:
    problems = Problems()
    spec = read_checklist(dedent("""
        id: gowning-signoff
        pass_mark: all critical, 90%
        attempts: 2

        ### Before entering
        - [ ] Removes watch, jewellery and make-up {critical}
        - [ ] Performs hand hygiene for at least **20 s**

        ### Gowning
        - [ ] Dons sterile coverall without touching the outside {Critical}
        """).strip("\n"), 20, path="m.md", position=1, inline=inline_renderer("m.md", {}, problems),
                     problems=problems)
    assert problems.sorted() == []
    assert (spec.slug, spec.pass_percent, spec.attempts) == ("gowning-signoff", 90, 2)
    assert [(i.section, i.critical, i.line) for i in spec.items] == [
        ("Before entering", True, 25), ("Before entering", False, 26), ("Gowning", True, 29)]
    assert spec.items[0].text_html == "Removes watch, jewellery and make-up"
    assert spec.items[1].text_html == "Performs hand hygiene for at least <strong>20 s</strong>"


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("id: c\n- [ ] ok\nnot an item", 22, 'must look like "- [ ] text"'),
    ("id: c\n- [x] ticked already", 21, 'must look like "- [ ] text"'),
    ("- [ ] no id", 19, 'needs an "id"'),
    ("id: c\n", 19, "has no items"),
    ("id: c\npass_mark: lots\n- [ ] a", 21, "not a percentage"),
    ("id: c\nattempt: 2\n- [ ] a", 21, 'did you mean "attempts"'),
    ("id: c\nid: d\n- [ ] a", 21, '"id" is given twice'),
    ("id: c\n- [ ] a\nattempts: 2", 22, 'must come before the first heading and item'),
])
def test_checklist_errors(text: str, line: int, fragment: str) -> None:
    problems = Problems()
    read_checklist(text, 20, path="m.md", position=1, inline=inline_renderer("m.md", {}, problems),
                     problems=problems)
    assert any(p.line == line and fragment in p.message for p in problems.sorted()), \
        problems.sorted()
