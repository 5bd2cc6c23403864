"""Report pages, and each table as CSV (as it is, or for publication) and as an SVG chart.

Every page and file is for the centre's administrators and programme officers and the
network administrator (the network report: the network administrator only); the services
decide, and refuse with 403. Everything here is private: `no-store` (app/core/headers.py).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.spreadsheet import csv_response
from app.reports import bp
from app.reports.call_funnel import grid_chart, grid_csv_rows, read_call_funnel
from app.reports.charts import SVG_CONTENT_SECURITY_POLICY, data_url, render_chart
from app.reports.network import read_centre_report, read_network_report
from app.reports.services import read_intake_report
from app.reports.tables import Table, csv_rows
from app.reports.views import blocks, classification_line, report_index


@bp.route("/")
@login_required
def index() -> str:
    centres, network = report_index(current_user)
    if not centres and not network:
        abort(403)
    return render_template("reports/index.html", centres=centres, network=network)


@bp.route("/intakes/<int:intake_id>")
@login_required
def intake(intake_id: int) -> str:
    report = read_intake_report(current_user, intake_id)
    return render_template("reports/intake.html", report=report, blocks=blocks(report.tables),
                           source=classification_line(report.classification))


@bp.route("/centres/<int:centre_id>")
@login_required
def centre(centre_id: int) -> str:
    report = read_centre_report(current_user, centre_id)
    return render_template("reports/centre.html", report=report, blocks=blocks(report.tables),
                           source=classification_line(report.classification))


@bp.route("/network")
@login_required
def network() -> str:
    report = read_network_report(current_user)
    return render_template("reports/network.html", report=report, blocks=blocks(report.tables),
                           source=classification_line(report.classification))


def _table(tables: dict[str, Table], name: str) -> Table:
    table = tables.get(name)
    if table is None:
        abort(404)
    return table


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "report"


def _csv(tables: dict[str, Table], name: str, stem: str, heading: str, source: str) -> Any:
    table = _table(tables, name)
    publication = request.args.get("for") == "publication"
    preamble = [[table.title], [heading], [source]]
    if publication:
        preamble.append([_("For publication: counts under 5 are shown as \"<5\", and "
                           "counts marked \"x\" are withheld so that no total reveals them.")])
    suffix = "-publication" if publication else ""
    return csv_response(csv_rows(table, publication=publication, preamble=preamble),
                        f"{_slug(stem)}-{name}{suffix}.csv")


def _svg(tables: dict[str, Table], name: str) -> Response:
    table = _table(tables, name)
    if table.chart is None:
        abort(404)
    return Response(render_chart(table), mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": SVG_CONTENT_SECURITY_POLICY})


@bp.route("/intakes/<int:intake_id>/<name>.csv")
@login_required
def intake_csv(intake_id: int, name: str) -> Any:
    report = read_intake_report(current_user, intake_id)
    head = report.head
    return _csv(report.tables, name, f"intake-{head.centre_code}-{head.code}",
                f"{head.centre_name} · {head.code} · {head.title}",
                classification_line(report.classification))


@bp.route("/intakes/<int:intake_id>/<name>.svg")
@login_required
def intake_svg(intake_id: int, name: str) -> Response:
    return _svg(read_intake_report(current_user, intake_id).tables, name)


@bp.route("/centres/<int:centre_id>/<name>.csv")
@login_required
def centre_csv(centre_id: int, name: str) -> Any:
    report = read_centre_report(current_user, centre_id)
    return _csv(report.tables, name, f"centre-{report.head.code}", report.head.name,
                classification_line(report.classification))


@bp.route("/centres/<int:centre_id>/<name>.svg")
@login_required
def centre_svg(centre_id: int, name: str) -> Response:
    return _svg(read_centre_report(current_user, centre_id).tables, name)


@bp.route("/network/<name>.csv")
@login_required
def network_csv(name: str) -> Any:
    report = read_network_report(current_user)
    return _csv(report.tables, name, "network", _("The training network"),
                classification_line(report.classification))


@bp.route("/network/<name>.svg")
@login_required
def network_svg(name: str) -> Response:
    return _svg(read_network_report(current_user).tables, name)


# --- a call's funnel (app/reports/call_funnel.py) -----------------------------------------

@bp.route("/calls/<int:call_id>")
@login_required
def call_funnel(call_id: int) -> str:
    report = read_call_funnel(current_user, call_id)
    return render_template("reports/call.html", report=report,
                           blocks=blocks({"funnel": report.stages}),
                           chart=data_url(grid_chart(report.countries)))


@bp.route("/calls/<int:call_id>/<name>.csv")
@login_required
def call_funnel_csv(call_id: int, name: str) -> Any:
    report = read_call_funnel(current_user, call_id)
    heading = f"{report.call_code} · {report.call_title}"
    if name == report.countries.name:
        return csv_response(grid_csv_rows(report.countries, [[report.countries.title],
                                                             [heading]]),
                            f"call-{_slug(report.call_code)}-countries.csv")
    return _csv({"funnel": report.stages}, name, f"call-{report.call_code}", heading, "")


@bp.route("/calls/<int:call_id>/<name>.svg")
@login_required
def call_funnel_svg(call_id: int, name: str) -> Response:
    report = read_call_funnel(current_user, call_id)
    if name == report.countries.name:
        return Response(grid_chart(report.countries), mimetype="image/svg+xml",
                        headers={"Content-Security-Policy": SVG_CONTENT_SECURITY_POLICY})
    return _svg({"funnel": report.stages}, name)
