"""Addresses: each blueprint under its package's prefix, and every old address redirected.

The house style: blueprint name = package = template folder = URL prefix, so that no
feature's pages can shadow another's. Only `home` stands at the root (`/` and `/healthz`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.core.moved import ENDPOINT, MOVED

APP = Path(__file__).resolve().parent.parent / "app"
AT_THE_ROOT = {"home": {"/", "/healthz"}}


def test_every_blueprint_mounts_its_pages_under_its_package_name(app: Flask) -> None:
    misplaced = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", ENDPOINT):
            continue
        blueprint = rule.endpoint.partition(".")[0]
        assert blueprint in app.blueprints, rule.endpoint  # no page outside a feature
        if blueprint in AT_THE_ROOT:
            if rule.rule not in AT_THE_ROOT[blueprint]:
                misplaced.append(f"{rule.endpoint}: {rule.rule}")
        elif not rule.rule.startswith(f"/{blueprint}/"):
            misplaced.append(f"{rule.endpoint}: {rule.rule}")
    assert not misplaced, "put these under their package's prefix:\n" + "\n".join(misplaced)


def test_each_blueprint_is_its_package_and_has_its_template_folder(app: Flask) -> None:
    for name, blueprint in app.blueprints.items():
        assert blueprint.import_name == f"app.{name}"
        assert (APP / "templates" / name).is_dir() or name == "content", name


# (method, old address, status, new address): every old rule, with a query string on some.
MOVES = [
    ("GET", "/courses/", 301, "/catalog/"),
    ("GET", "/courses/?text=gmp&level=advanced", 301, "/catalog/?text=gmp&level=advanced"),
    ("GET", "/courses/gxp/", 301, "/catalog/gxp/"),
    ("GET", "/dashboard", 301, "/learning/dashboard"),
    ("HEAD", "/dashboard", 301, "/learning/dashboard"),
    ("POST", "/courses/gxp/enrol", 308, "/learning/gxp/enrol"),
    ("POST", "/courses/gxp/withdraw", 308, "/learning/gxp/withdraw"),
    ("GET", "/courses/gxp/modules/intro?from=mail", 301, "/learning/gxp/modules/intro?from=mail"),
    ("POST", "/courses/gxp/modules/intro/complete", 308, "/learning/gxp/modules/intro/complete"),
    ("GET", "/courses/gxp/intro", 301, "/learning/gxp/modules/intro"),
    ("POST", "/courses/gxp/intro/complete", 308, "/learning/gxp/modules/intro/complete"),
    ("GET", "/courses/gxp/roster?country=NG", 301, "/learning/gxp/roster?country=NG"),
    ("GET", "/courses/gxp/roster.csv", 301, "/learning/gxp/roster.csv"),
    ("POST", "/courses/gxp/requests/7", 308, "/learning/gxp/requests/7"),
    ("GET", "/courses/gxp/staff", 301, "/learning/gxp/staff"),
    ("POST", "/courses/gxp/staff", 308, "/learning/gxp/staff"),
    ("POST", "/courses/gxp/staff/3/assessor/remove", 308,
     "/learning/gxp/staff/3/assessor/remove"),
    ("GET", "/courses/gxp/gradebook", 301, "/grading/gxp/gradebook"),
    ("GET", "/courses/gxp/gradebook.csv", 301, "/grading/gxp/gradebook.csv"),
    ("GET", "/courses/gxp/quizzes/final/analysis", 301, "/grading/gxp/quizzes/final/analysis"),
    ("POST", "/courses/gxp/quizzes/final/regrade", 308, "/grading/gxp/quizzes/final/regrade"),
    ("GET", "/verify/", 301, "/certificates/verify/"),
    ("GET", "/verify/?code=ABCD-EFGH", 301, "/certificates/verify/?code=ABCD-EFGH"),
    ("GET", "/verify/ABCD-EFGH", 301, "/certificates/verify/ABCD-EFGH"),
    ("GET", "/media/gxp/0123456789abcdef/flow.svg", 301,
     "/content/media/gxp/0123456789abcdef/flow.svg"),
    ("GET", "/media/gxp/0123456789abcdef/sheets/Fiche%20de%20proc%C3%A9d%C3%A9.pdf", 301,
     "/content/media/gxp/0123456789abcdef/sheets/Fiche%20de%20proc%C3%A9d%C3%A9.pdf"),
]


@pytest.mark.parametrize(("method", "old", "status", "new"), MOVES,
                         ids=[f"{m} {old}" for m, old, _, _ in MOVES])
def test_an_old_address_redirects_to_its_new_page(client, method: str, old: str, status: int,
                                                  new: str) -> None:
    response = client.open(old, method=method, data={"reason": "kept"})
    assert (response.status_code, response.headers["Location"]) == (status, new)
    # The new address is a page of the app, not another redirect.
    path = new.partition("?")[0]
    adapter = client.application.url_map.bind("localhost")
    endpoint, _ = adapter.match(path, method=method)
    assert endpoint != ENDPOINT


def test_every_old_rule_is_tried_above(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    tried = set()
    for method, old, _, _ in MOVES:
        rule, _ = adapter.match(old.partition("?")[0], method=method, return_rule=True)
        tried.add(rule.rule)
    assert set(MOVED.entries(app)) - tried == set()


def test_an_old_rule_must_name_a_page(app: Flask) -> None:
    from app.core.moved import redirect_moved

    with pytest.raises(ValueError, match="which has no route"):
        redirect_moved(app, {"/old/<x>": "catalog.no_such_page"})
