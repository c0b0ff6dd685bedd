"""New alerts sent to people: Slack, email, a JSON webhook, each alert once per destination.

Which alert went where is kept in the workbook's hidden state tab, written through the
write engine, so a rerun, on this machine or another, sends nothing twice. A destination
gets the open alerts dated on or after the day it was first used that it has not had yet:
one that was down gets them on the next run. A destination that fails never fails the
refresh; it is reported (exit code 1) and tried again next time.

The record is written right after the sending: a run killed in the second between the two
may send those alerts once more on the next run (better than never).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import requests

from .a1 import tab_a1
from .alerts import AlertRow, shown
from .backends import Backend, open_existing
from .benchmark import Benchmark, Part, load_benchmark
from .destinations import Destination, EmailDestination, SlackDestination, WebhookDestination
from .engine import run_rounds
from .errors import SheetsSyncError
from .planner import PlannedPush
from .report import Problem, SyncReport
from .sync_state import plan_state_tab
from .template import Template, as_template
from .workbook import WritePlan

NOTIFY_PARTS = Part.CATEGORIES | Part.ALERTS
SEND_TIMEOUT = 20.0  # seconds for one destination to answer


@dataclass(frozen=True)
class Notice:
    """One alert as a message: which workbook, where its row is."""

    alert: AlertRow
    workbook: str
    workbook_url: str
    link: str  # the alert's row: a URL for Google Sheets, a file and cell for a local one

    @property
    def before(self) -> str:
        return shown(self.alert.before, self.alert.kind)

    @property
    def after(self) -> str:
        return shown(self.alert.after, self.alert.kind)

    @property
    def headline(self) -> str:
        who = self.alert.handle or "the competitor list"
        where = f" ({self.alert.category})" if self.alert.category else ""
        return f"{self.alert.kind}: {who}{where} in {self.workbook}"

    @property
    def change(self) -> str:
        arrow = f"{self.before} -> {self.after}" if self.after else f"since {self.before}"
        return f"{self.alert.metric}: {arrow}"

    def text(self) -> str:
        return f"{self.headline}\n{self.change}\n{self.alert.message}\n{self.link}"

    def to_json(self) -> dict[str, Any]:
        a = self.alert
        return {"id": a.id, "workbook": self.workbook, "workbook_url": self.workbook_url,
                "link": self.link, "date": a.date.isoformat() if a.date else None,
                "category": a.category, "handle": a.handle, "kind": a.kind,
                "metric": a.metric, "before": _plain(a.before), "after": _plain(a.after),
                "before_text": self.before, "after_text": self.after, "message": a.message,
                "status": a.status}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass
class Delivery:
    """What one destination got in this run."""

    destination: str
    sent: list[str] = field(default_factory=list)  # alert ids
    pending: int = 0  # alerts it should have had
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"destination": self.destination, "sent": len(self.sent),
                "pending": self.pending, "error": self.error}


class DeliveryFailed(Exception):
    """A destination did not take a message; `sent` says which ones it took before."""


def row_link(location: str, bench: Benchmark, alert: AlertRow) -> str:
    tab = bench.tabs.get("alerts")
    title = bench.title("alerts")
    if location.startswith("https://") and tab is not None and tab.tab_id is not None:
        return f"{location}#gid={tab.tab_id}&range=A{alert.grid_row + 1}"
    return f"{location} {tab_a1(title, alert.grid_row, 0)}"


def pending_alerts(bench: Benchmark, destination: str, since: dt.date) -> list[AlertRow]:
    """The open alerts of the Alerts tab this destination has not had, dated `since` or
    later; one per alert id (a copied row is sent once)."""
    sent = bench.base.sent.get(destination, {})
    found: dict[str, AlertRow] = {}
    for alert in bench.alerts:
        if (alert.is_open and alert.date is not None and alert.date >= since
                and alert.kind and alert.id not in sent and alert.id not in found):
            found[alert.id] = alert
    return list(found.values())


def needs_delivery(bench: Benchmark, destinations: Sequence[Destination],
                   today: dt.date) -> bool:
    """Whether any destination is new or has alerts to get, as `bench` stands."""
    for destination in destinations:
        since = bench.base.notify_since.get(destination.name)
        if since is None or pending_alerts(bench, destination.name, _since(since, today)):
            return True
    return False


def deliver(backend: Backend, template: Template, report: SyncReport,
            destinations: Sequence[Destination], today: dt.date, *,
            workbook: str | None = None, our_brand: Sequence[str] | None = None,
            first_read: Benchmark | None = None,
            environ: Mapping[str, str] | None = None) -> list[Delivery]:
    """Send each destination the alerts it has not had, then record what went where."""
    if not destinations:
        return []
    env = os.environ if environ is None else environ
    bench = first_read or load_benchmark(backend, template, parts=NOTIFY_PARTS,
                                         our_brand=our_brand)
    name = workbook or _workbook_name(backend.location)
    deliveries, new_since = [], {}
    for destination in destinations:
        since_text = bench.base.notify_since.get(destination.name)
        since = _since(since_text, today)
        if not since_text:
            new_since[destination.name] = today.isoformat()
        alerts = pending_alerts(bench, destination.name, since)
        notices = [Notice(a, name, backend.location, row_link(backend.location, bench, a))
                   for a in alerts]
        delivery = Delivery(destination.label, pending=len(notices))
        if notices:
            try:
                send(destination, notices, delivery.sent, env)
            except DeliveryFailed as exc:
                delivery.error = str(exc)
        deliveries.append((destination, delivery))
    _record(backend, template, report, bench, deliveries, new_since, today, our_brand)
    for destination, delivery in deliveries:
        if delivery.sent:
            report.notes.append(f"sent {len(delivery.sent)} alert(s) to {destination.label}")
        if delivery.error:
            left = delivery.pending - len(delivery.sent)
            report.problems.append(Problem(
                f"notification to {destination.label}",
                f"{left} alert(s) could not be sent ({delivery.error}); they are sent on the "
                "next run"))
    report.notifications.extend(d.to_dict() for _, d in deliveries)
    return [d for _, d in deliveries]


def send_pending(target: str | Path | Backend, report: SyncReport,
                 destinations: Sequence[Destination], today: dt.date, *,
                 template: str | Path | Template | None = None,
                 credentials: str | Path | None = None, oauth: bool = False,
                 our_brand: Sequence[str] | None = None) -> list[Delivery]:
    """The alerts not yet sent, sent now (`push --notify`); the outcome goes into `report`."""
    if not destinations:
        report.notes.append("no destinations in sheets-sync.toml: nothing was sent")
        return []
    backend = open_existing(target, credentials=credentials, oauth=oauth)
    return deliver(backend, as_template(template), report, destinations, today,
                   our_brand=our_brand)


def _since(text: str | None, today: dt.date) -> dt.date:
    """The day a destination was first used; an unreadable record counts as today."""
    try:
        return dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today


def _workbook_name(location: str) -> str:
    return location if location.startswith("https://") else Path(location).name


def _record(backend: Backend, template: Template, report: SyncReport, read: Benchmark,
            deliveries: list[tuple[Destination, Delivery]], new_since: dict[str, str],
            today: dt.date, our_brand: Sequence[str] | None) -> None:
    sent = {d.name: delivery.sent for d, delivery in deliveries if delivery.sent}
    if not sent and not new_since:
        return

    def plan(bench: Benchmark) -> PlannedPush:
        state = copy.deepcopy(bench.base)
        for destination, since in new_since.items():
            state.notify_since.setdefault(destination, since)
        for destination, ids in sent.items():
            record = state.sent.setdefault(destination, {})
            for alert in ids:
                record.setdefault(alert, today.isoformat())
        write = plan_state_tab(bench.grid, bench.template, state)
        return PlannedPush(WritePlan([write] if write.has_cell_writes else []), [])

    scratch = SyncReport(report.target, "notify")
    try:
        run_rounds(backend, template, scratch, plan, parts=NOTIFY_PARTS, our_brand=our_brand,
                   first_read=read)
    except SheetsSyncError as exc:
        count = sum(len(ids) for ids in sent.values())
        report.problems.append(Problem(
            "record of sent alerts",
            f"{count} alert(s) were sent but the record of it could not be written "
            f"({exc.message}); the next run may send them again"))


def send(destination: Destination, notices: Sequence[Notice], sent: list[str],
         environ: Mapping[str, str]) -> None:
    """Send the notices; ids of those taken go into `sent`. Raises DeliveryFailed."""
    try:
        if isinstance(destination, SlackDestination):
            _send_slack(destination.address(environ), notices, sent)
        elif isinstance(destination, WebhookDestination):
            _send_webhook(destination, destination.address(environ), notices, sent)
        elif isinstance(destination, EmailDestination):
            _send_email(destination, notices, environ)
            sent.extend(n.alert.id for n in notices)
    except DeliveryFailed:
        raise
    except SheetsSyncError as exc:
        raise DeliveryFailed(exc.message) from exc
    except (OSError, smtplib.SMTPException, requests.RequestException) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc


def _send_slack(url: str, notices: Sequence[Notice], sent: list[str]) -> None:
    from slack_sdk.webhook import WebhookClient

    client = WebhookClient(url, timeout=int(SEND_TIMEOUT))
    for notice in notices:
        reply = client.send(text=notice.text(), blocks=_slack_blocks(notice))
        if reply.status_code != 200:
            raise DeliveryFailed(f"Slack answered {reply.status_code} {reply.body[:200]}")
        sent.append(notice.alert.id)


def _slack_blocks(notice: Notice) -> list[dict[str, Any]]:
    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    link = (f"<{notice.link}|Open the alert row>" if notice.link.startswith("https://")
            else escape(notice.link))
    return [{"type": "section", "text": {"type": "mrkdwn", "text": (
        f"*{escape(notice.headline)}*\n{escape(notice.change)}\n"
        f"{escape(notice.alert.message)}\n{link}")}}]


def _send_webhook(destination: WebhookDestination, url: str, notices: Sequence[Notice],
                  sent: list[str]) -> None:
    for notice in notices:
        reply = requests.post(url, json=notice.to_json(), timeout=SEND_TIMEOUT,
                              headers={"Idempotency-Key": notice.alert.id,
                                       **destination.headers})
        if reply.status_code >= 300:
            raise DeliveryFailed(f"the webhook answered {reply.status_code}")
        sent.append(notice.alert.id)


def _send_email(destination: EmailDestination, notices: Sequence[Notice],
                environ: Mapping[str, str]) -> None:
    message = EmailMessage()
    workbook = notices[0].workbook
    message["Subject"] = f"{len(notices)} new alert(s) in {workbook}"
    message["From"] = destination.sender
    message["To"] = ", ".join(destination.to)
    message.set_content("\n\n".join(n.text() for n in notices) + "\n")
    password = destination.password(environ)
    if destination.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(destination.host, destination.port,
                                                timeout=SEND_TIMEOUT,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(destination.host, destination.port, timeout=SEND_TIMEOUT)
    with server:
        if destination.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if destination.username:
            server.login(destination.username, password or "")
        server.send_message(message)
