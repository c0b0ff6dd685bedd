"""Card JSON in the shapes Google's alternate runtimes render (cards v1 widgets)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..errors import SheetsSyncError
from ..report import Problem, count_of
from ..template import Template
from .config import AddonConfig
from .state import BenchmarkState

Json = dict[str, Any]
TITLE = "TikTok Benchmark"
MAX_PROBLEMS_SHOWN = 100
RECOMPUTE = "action/recompute"
REFRESH = "action/refresh"
ADD_NOTE = "action/add-note"
PROBLEMS = "action/problems"
MARK_SEEN = "action/mark-alerts-seen"
REQUEST_FILE_SCOPE = "action/request-file-scope"
HOMEPAGE = "homepage"


def text(label: str, value: object, bottom: str | None = None) -> Json:
    widget: Json = {"topLabel": label, "text": str(value), "wrapText": True}
    if bottom:
        widget["bottomLabel"] = bottom
    return {"decoratedText": widget}


def paragraph(value: str) -> Json:
    return {"textParagraph": {"text": value}}


def button(label: str, url: str) -> Json:
    return {"text": label, "onClick": {"action": {"function": url}}}


def buttons(*items: Json) -> Json:
    return {"buttonList": {"buttons": list(items)}}


def card(subtitle: str, sections: Sequence[Json]) -> Json:
    return {"header": {"title": TITLE, "subtitle": subtitle}, "sections": list(sections)}


def push_card(body: Json) -> Json:
    return {"action": {"navigations": [{"pushCard": body}]}}


def action_response(body: Json | None, notification: str, update: bool = True) -> Json:
    action: Json = {"notification": {"text": notification}}
    if body is not None:
        action["navigations"] = [{"updateCard" if update else "pushCard": body}]
    return {"action": action}


def request_file_scope() -> Json:
    return {"renderActions": {"hostAppAction": {"editorAction": {
        "requestFileScopeForActiveDocument": {}}}}}


def _day(value: dt.date | None, never: str) -> str:
    return value.isoformat() if value else never


def homepage_card(state: BenchmarkState, config: AddonConfig, template: Template) -> Json:
    overview = [
        text("Last push", _day(state.last_change, "never"),
             "newest Last Changed date"),
        text("Last refresh", _day(state.last_snapshot, "never"),
             "newest History snapshot"),
        *(text(f"Accounts in {title}", count) for title, count in state.accounts.items()),
        text("Accounts outside the engagement band", state.outside_band,
             f"{template.band.engagement_low:.1%} - {template.band.engagement_high:.1%}"),
        text("Open alerts", state.open_alerts,
             f"of {state.alerts} in the {template.tabs.alerts} tab (Status open or empty)"),
        text("Stale rows", state.stale_rows,
             f"not changed for more than {template.thresholds.stale_days} days"),
        text("Problems", len(state.problems), "cells that cannot be read"),
    ]
    actions = [buttons(button("Recompute now", config.action_url(RECOMPUTE)),
                       button("Run monthly refresh", config.action_url(REFRESH)),
                       button("Show problems", config.action_url(PROBLEMS))),
               *([buttons(button("Mark open alerts seen", config.action_url(MARK_SEEN)))]
                 if state.open_alerts else [])]
    return card("Benchmark overview", [
        {"header": "Overview", "widgets": overview},
        {"header": "Actions", "widgets": actions},
        note_section(config, template),
    ])


def note_section(config: AddonConfig, template: Template) -> Json:
    kind = next(c for c in template.context_notes_columns if c.key == "kind")
    items = [{"text": choice, "value": choice, "selected": choice == "other"}
             for choice in kind.choices]
    return {"header": "Add context note", "collapsible": False, "widgets": [
        {"textInput": {"name": "text", "label": "What happened", "type": "MULTIPLE_LINE"}},
        {"textInput": {"name": "handle", "label": "Account (optional)"}},
        {"selectionInput": {"name": "kind", "label": "Kind", "type": "DROPDOWN",
                            "items": items}},
        buttons(button("Add note", config.action_url(ADD_NOTE))),
    ]}


def problems_card(problems: Sequence[Problem], config: AddonConfig) -> Json:
    if not problems:
        widgets = [paragraph("Every cell can be read.")]
    else:
        widgets = [text(p.where, p.message, p.severity) for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            widgets.append(paragraph(f"and {len(problems) - MAX_PROBLEMS_SHOWN} more; "
                                     "`sheets-sync validate` lists them all"))
    widgets.append(buttons(button("Back to overview", config.action_url(HOMEPAGE))))
    return card("Problems", [{"header": count_of(len(problems), "problem"), "widgets": widgets}])


def file_scope_card(config: AddonConfig) -> Json:
    return card("Access needed", [{"widgets": [
        paragraph("To show and update this spreadsheet's benchmark, the add-on needs "
                  "access to this file (only this file)."),
        buttons(button("Allow access to this spreadsheet",
                       config.action_url(REQUEST_FILE_SCOPE))),
    ]}])


# Hints written for a terminal: flags, commands, environment variables.
_TERMINAL_HINT = re.compile(r"--|sheets-sync |SHEETS_SYNC_|\$|`")


def panel_text(exc: SheetsSyncError) -> str:
    """An error as the side panel says it: a hint meant for a terminal becomes who can act."""
    if not exc.hint:
        return exc.message
    if _TERMINAL_HINT.search(exc.hint):
        return (f"{exc.message}. Whoever runs sheets-sync for this spreadsheet can fix this "
                "from the command line.")
    return f"{exc.message}. {exc.hint[:1].upper()}{exc.hint[1:]}."


def error_card(message: str, config: AddonConfig) -> Json:
    return card("Something went wrong", [{"widgets": [
        paragraph(message),
        buttons(button("Try again", config.action_url(HOMEPAGE))),
    ]}])
