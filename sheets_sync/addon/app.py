"""The add-on's HTTP endpoint: Google POSTs an event, the endpoint answers with a card."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from .. import sync
from ..alert_status import mark_alerts_seen
from ..errors import SheetsSyncError
from ..monthly import refresh
from ..notes import add_note
from ..report import SyncReport, count_of
from ..template import as_template
from . import cards
from .auth import Unauthorized, verified_user_email, verify_request
from .backend import user_backend
from .config import AddonConfig
from .event import AddonEvent
from .state import benchmark_state

log = logging.getLogger(__name__)
Json = dict[str, Any]


def create_app(config: AddonConfig) -> Flask:
    """The Flask app serving the homepage, file-scope and action callbacks."""
    app = Flask(__name__)
    template = as_template(config.template)

    @app.before_request
    def verify() -> Response | tuple[Response, int] | None:
        try:
            verify_request(request.headers, config)
        except Unauthorized:
            return jsonify({"error": "unauthorized",
                            "message": "the request carries no valid ID token from Google "
                                       "for this add-on"}), 401
        return None

    def event() -> AddonEvent:
        return AddonEvent.parse(request.get_json(silent=True))

    def homepage() -> Json:
        current = event()
        if not current.can_open_file:
            return cards.push_card(cards.file_scope_card(config))
        try:
            return cards.push_card(overview(current))
        except SheetsSyncError as exc:
            log.warning("homepage failed: %s", exc.message)
            return cards.push_card(cards.error_card(cards.panel_text(exc), config))

    def overview(current: AddonEvent) -> Json:
        state = benchmark_state(user_backend(current), template, current.today(),
                                our_brand=config.our_brand)
        return cards.homepage_card(state, config, template)

    def act(run: Callable[[AddonEvent], tuple[str, Json | None, bool]]) -> Json:
        current = event()
        if not current.can_open_file:
            return cards.action_response(cards.file_scope_card(config),
                                         "Allow access to this spreadsheet first",
                                         update=False)
        try:
            message, body, update = run(current)
        except SheetsSyncError as exc:
            log.warning("action failed: %s", exc.message)
            return cards.action_response(None, cards.panel_text(exc))
        return cards.action_response(body, message, update)

    @app.post("/homepage")
    def homepage_route() -> Response:
        return jsonify(homepage())

    @app.post("/on-file-scope-granted")
    def file_scope_granted() -> Response:
        return jsonify(homepage())

    @app.post("/action/request-file-scope")
    def request_file_scope() -> Response:
        return jsonify(cards.request_file_scope())

    @app.post("/action/recompute")
    def recompute() -> Response:
        def run(current: AddonEvent) -> tuple[str, Json | None, bool]:
            report = sync.push(user_backend(current), (), template=template,
                               today=current.today(), our_brand=config.our_brand)
            return _summary("Recomputed", report), overview(current), True
        return jsonify(act(run))

    @app.post("/action/refresh")
    def monthly_refresh() -> Response:
        def run(current: AddonEvent) -> tuple[str, Json | None, bool]:
            report = refresh(user_backend(current), template=template, today=current.today(),
                             our_brand=config.our_brand)
            return _summary("Refreshed", report), overview(current), True
        return jsonify(act(run))

    @app.post("/action/mark-alerts-seen")
    def alerts_seen() -> Response:
        def run(current: AddonEvent) -> tuple[str, Json | None, bool]:
            report = mark_alerts_seen(user_backend(current), template=template,
                                      our_brand=config.our_brand)
            count = sum(t.input_cells_changed for t in report.tabs)
            message = f"{count} alert(s) marked seen" if count else "No open alerts"
            return message, overview(current), True
        return jsonify(act(run))

    @app.post("/action/add-note")
    def note() -> Response:
        def run(current: AddonEvent) -> tuple[str, Json | None, bool]:
            text = current.input("text")
            if not text:
                return "Type what happened first", None, True
            report = add_note(user_backend(current), text, handle=current.input("handle"),
                              kind=current.input("kind") or "other", date=current.today(),
                              author=verified_user_email(current.user_id_token, config),
                              template=template, our_brand=config.our_brand)
            if report.errors:
                return f"Not added: {report.errors[0]}", None, True
            message = report.notes[0] if report.notes else "Note added to Context Notes"
            return message, overview(current), True
        return jsonify(act(run))

    @app.post("/action/problems")
    def problems() -> Response:
        def run(current: AddonEvent) -> tuple[str, Json | None, bool]:
            report = sync.validate(user_backend(current), template=template,
                                   today=current.today(), our_brand=config.our_brand)
            count = len(report.problems)
            message = "Every cell can be read" if not count else count_of(count, "problem")
            return message, cards.problems_card(report.problems, config), False
        return jsonify(act(run))

    return app


def _summary(verb: str, report: SyncReport) -> str:
    changed = sum(t.cells_changed for t in report.tabs)
    added = sum(t.rows_added for t in report.tabs)
    parts = [count_of(changed, "cell") + " changed"]
    if added:
        parts.append(count_of(added, "row") + " added")
    if report.errors:
        parts.append(count_of(len(report.errors), "problem"))
    return f"{verb}: " + ", ".join(parts) if report.written else f"{verb}: nothing to change"

