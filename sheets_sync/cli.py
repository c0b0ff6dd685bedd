"""The `sheets-sync` command: each subcommand is a thin call into the library.

Exit codes: 0 ok, 1 problems to look at (unreadable cells, duplicate handles, an alert
that could not be sent), 2 usage or configuration error.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from . import sync
from .config import resolve_settings
from .destinations import Destination
from .errors import SheetsSyncError
from .report import SyncReport, count_of
from .template import Template, builtin_template_names

EXIT_USAGE = 2
T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """Where a command works and how it reports: resolved from flags, env and settings file."""

    sheet: str
    template: str | Template | None
    as_json: bool
    credentials: str | None
    oauth: bool
    our_brand: tuple[str, ...] | None = None
    band: str | None = None
    destinations: tuple[Destination, ...] = ()

    @property
    def options(self) -> dict[str, Any]:
        return {"template": self.template, "credentials": self.credentials, "oauth": self.oauth}

    @property
    def write_options(self) -> dict[str, Any]:
        """The options of commands that recompute the Summary (and so need our brand)."""
        return {**self.options, "our_brand": self.our_brand}

    def recompute_options(self, band: str | None) -> dict[str, Any]:
        """The options of commands that recompute derived cells and highlights (the band)."""
        return {**self.write_options, "band": band or self.band}


def _target_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--sheet, --template, --credentials, --oauth and --json, turned into one `target`."""
    @click.option("--sheet", "sheet", metavar="PATH.xlsx|URL",
                  help="The workbook: a local .xlsx path or a Google Sheets URL or key. "
                       "Default: $SHEETS_SYNC_SHEET, `sheet` in sheets-sync.toml, or "
                       "benchmark.xlsx in this folder.")
    @click.option("--template", "template", metavar="NAME|PATH",
                  help="Template name (" + ", ".join(builtin_template_names()) + ") or path of a "
                       ".toml template. Default: the one the workbook was laid out with, "
                       "else en.")
    @click.option("--credentials", metavar="PATH", envvar="GOOGLE_APPLICATION_CREDENTIALS",
                  help="Google service-account key (JSON). Default: "
                       "$GOOGLE_APPLICATION_CREDENTIALS or ~/.config/gspread/"
                       "service_account.json. With --oauth: the OAuth client file.")
    @click.option("--oauth", is_flag=True,
                  help="Sign in to Google as yourself (browser login, cached) instead of "
                       "a service account.")
    @click.option("--our-brand", "our_brand", metavar="HANDLE[,HANDLE]",
                  help="Our own account(s): compared with the competitors in the Summary. "
                       "Default: $SHEETS_SYNC_OUR_BRAND, `our_brand` in sheets-sync.toml, or "
                       "what the last push used; an empty value means none.")
    @click.option("--json", "as_json", is_flag=True, help="Print a JSON report for scripts.")
    @functools.wraps(func)
    def wrapper(*args: Any, sheet: str | None, template: str | None, credentials: str | None,
                oauth: bool, as_json: bool, our_brand: str | None, **kwargs: Any) -> Any:
        settings = _run(lambda: resolve_settings(sheet, template, our_brand=our_brand))
        target = Target(settings.sheet, settings.template, as_json, credentials, oauth,
                        settings.our_brand, settings.band, settings.destinations)
        return func(*args, target=target, **kwargs)
    return wrapper


def _band_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--band", "band", metavar="NAME",
        help="The engagement band preset of the template (typical, beauty, fashion, retail, "
             "food, ...). Default: $SHEETS_SYNC_BAND, `band` in sheets-sync.toml, the band "
             "the last push used, or the template's (typical, 3%-9% of views).")(func)


def _today_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--date", "today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
        help="Act as if today were this date (Last Changed, staleness).")(func)


def _run(action: Callable[[], T]) -> T:
    """The library call of a command; its errors become a message and exit code 2. An error
    the code did not foresee is a bug: a one-line message (the traceback with
    SHEETS_SYNC_DEBUG=1), never a traceback that looks like the user's fault."""
    try:
        return action()
    except SheetsSyncError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if os.environ.get("SHEETS_SYNC_DEBUG"):
            raise
        click.echo(f"Error: an unexpected {type(exc).__name__}: {exc}\n"
                   "  hint: this is a bug in sheets-sync, not in your data; nothing more was "
                   "written. Please report it with the command you ran (SHEETS_SYNC_DEBUG=1 "
                   "shows the traceback)", err=True)
        sys.exit(EXIT_USAGE)


def _progress(enabled: bool, steps: int) -> tuple[Callable[[str], None] | None, Callable[[], None]]:
    """A progress bar on stderr, shown only to a person at a terminal."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    bar = click.progressbar(length=steps, label="sheets-sync", file=sys.stderr,
                            item_show_func=lambda label: label)
    bar.__enter__()

    def advance(label: str) -> None:
        bar.update(1, label)

    return advance, lambda: bar.__exit__(None, None, None)


def _finish(report: SyncReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        _print_report(report)
    sys.exit(report.exit_code)


def _print_report(report: SyncReport) -> None:
    verb = {"push": "Pushed to", "plan": "Plan for", "init": "Created", "validate": "Checked",
            "refresh": "Refreshed"}.get(report.command, report.command)
    if report.command != "validate" and (report.written or report.command == "plan"):
        click.echo(f"{verb} {report.target}")
    for tab in report.tabs:
        if tab.is_empty:
            continue
        parts = []
        if tab.created:
            parts.append("new tab")
        if tab.rows_added:
            parts.append(count_of(tab.rows_added, "row") + " added")
        if tab.input_cells_changed:
            parts.append(count_of(tab.input_cells_changed, "input cell"))
        if tab.derived_cells_changed:
            parts.append(count_of(tab.derived_cells_changed, "derived cell"))
        if tab.headers_added:
            parts.append("columns added: " + ", ".join(tab.headers_added))
        click.echo(f"  {tab.tab}: " + ", ".join(parts))
        if report.command == "plan":
            if tab.handles_added:
                click.echo("    new: " + ", ".join(tab.handles_added))
            for change in tab.changes:
                click.echo(f"    {change.cell} ({change.column}): {change.before!r} -> "
                           f"{change.after!r}")
    if report.command in ("push", "plan", "refresh") and not any(
            not t.is_empty for t in report.tabs) and not report.notes:
        click.echo(f"{report.target}: nothing to change")
    for note in report.notes:
        click.echo(note)
    if report.command == "validate" and not report.errors:
        click.echo(f"{report.target}: every cell can be read")
    for problem in report.problems:
        label = "warning" if problem.severity == "warning" else "problem"
        click.echo(f"{label}: {problem}", err=True)
    for conflict in report.conflicts:
        click.echo(f"conflict: {conflict}", err=True)
    if report.conflicts:
        click.echo(f"{count_of(len(report.conflicts), 'conflict')}: push again with --prefer "
                   "file to take the file's values, or --prefer sheet to keep the sheet's.",
                   err=True)
    if report.errors:
        click.echo(f"{count_of(len(report.errors), 'problem')}; the rest was "
                   f"{'written' if report.written else 'checked'}.", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sheets-sync")
def cli() -> None:
    """Build and keep a TikTok competitor benchmark in a spreadsheet.

    Edits typed into the sheet are kept; derived columns are recomputed on every push.
    """


@cli.command()
@_target_options
@_today_option
@_band_option
@click.option("--google", is_flag=True,
              help="Create a new Google spreadsheet (instead of the --sheet workbook) and "
                   "print its URL.")
@click.option("--title", default="TikTok Competitor Benchmark", show_default=True,
              help="Title of the new Google spreadsheet.")
@click.option("--share", "share", multiple=True, metavar="EMAIL",
              help="With --google: share the new spreadsheet with EMAIL as editor "
                   "(repeatable).")
@click.option("--folder", metavar="FOLDER_ID",
              help="With --google: create it in this Drive folder (a shared drive's folder "
                   "lets a service account create it).")
def init(target: Target, today: dt.datetime | None, band: str | None, google: bool, title: str,
         share: tuple[str, ...], folder: str | None) -> None:
    """Create the workbook with every tab of the template (an existing one is left alone)."""
    day = today.date() if today else None
    if (share or folder) and not google:
        raise click.UsageError("--share and --folder go with --google")
    if google:
        report = _run(lambda: sync.init_google(title=title, share=share, today=day,
                                               folder=folder, **target.recompute_options(band)))
    else:
        report = _run(lambda: sync.init(target.sheet, today=day,
                                        **target.recompute_options(band)))
    _finish(report, target.as_json)


def _push_command(dry_run: bool) -> Callable[..., None]:
    def command(files: tuple[Path, ...], target: Target, category: str | None, strict: bool,
                today: dt.datetime | None, prefer: str | None, restore: bool,
                encoding: str | None, preset: str | None, band: str | None,
                notify: bool = False) -> None:
        progress, done = _progress(not target.as_json, 4)
        try:
            report = _run(lambda: sync.push(
                target.sheet, files, category=category, strict=strict,
                today=today.date() if today else None, dry_run=dry_run, progress=progress,
                prefer=prefer, restore=restore, encoding=encoding, preset=preset,
                **target.recompute_options(band)))
        finally:
            done()
        if notify:
            from .notify import send_pending

            _run(lambda: send_pending(target.sheet, report, target.destinations,
                                      today.date() if today else dt.date.today(),
                                      **target.write_options))
        _finish(report, target.as_json)
    return command


def _push_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False,
                                                              path_type=Path))(func)
    func = _target_options(func)
    func = click.option("--category", metavar="CATEGORY",
                        help="Category of every row of FILES without a category column: "
                             "direct, indirect, learning (or a tab name).")(func)
    func = click.option("--strict", is_flag=True,
                        help="Write nothing if any input cell cannot be read.")(func)
    func = click.option("--prefer", type=click.Choice(["file", "sheet"]),
                        help="Settle conflicts (cells both the sheet and the file changed "
                             "since the last push): take the file's value, or keep the "
                             "sheet's without reporting it again.")(func)
    func = click.option("--restore", is_flag=True,
                        help="Bring back rows a teammate deleted from the sheet since the "
                             "last push, when FILES hold them.")(func)
    func = _import_options(func)
    return _band_option(_today_option(func))


def _import_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--encoding and --preset: how input files are read."""
    func = click.option("--encoding", metavar="NAME",
                        help="Text encoding of the CSV files (utf-8, gbk, big5, utf-16, "
                             "cp1252, shift_jis, mac_roman...). Default: detected.")(func)
    return click.option("--preset", metavar="NAME",
                        help="Read FILES as this export: " + ", ".join(_preset_names())
                             + ". Default: recognised from the headers.")(func)


def _preset_names() -> list[str]:
    from .presets import builtin_presets

    return sorted(builtin_presets())


cli.command("push", help="Merge FILES (CSV/XLSX) into the workbook and recompute every derived "
            "cell. With no FILES: re-read, validate and recompute.")(
    click.option("--notify", is_flag=True,
                 help="Also send the alerts not yet sent to the destinations of "
                      "sheets-sync.toml (as refresh does).")(
        _push_options(_push_command(dry_run=False))))
cli.command("plan", help="Show what `push FILES` would change, per tab, writing nothing.")(
    _push_options(_push_command(dry_run=True)))


@cli.command("import-map")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--template", "template", metavar="NAME|PATH",
              help="Template name (en, zh) or path of a .toml template. Default: "
                   "$SHEETS_SYNC_TEMPLATE, `template` in sheets-sync.toml, or en.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@_import_options
def import_map_command(files: tuple[Path, ...], template: str | None, as_json: bool,
                       encoding: str | None, preset: str | None) -> None:
    """Show how each column of FILES would be read, writing nothing: the encoding, the
    preset, header -> column, a sample value and how it parses, and the cells that cannot
    be read (exit 1 if any)."""
    from .import_map import format_readings, import_map
    from .template import as_template

    settings = _run(lambda: resolve_settings(template=template))
    readings = _run(lambda: import_map(files, as_template(settings.template),
                                       encoding=encoding, preset=preset))
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in readings], indent=2, ensure_ascii=False,
                              default=str))
    else:
        click.echo("\n".join(format_readings(readings)))
    sys.exit(1 if any(r.bad_cells for r in readings) else 0)


@cli.command()
@_target_options
@_today_option
@_band_option
@click.option("--if-due", is_flag=True,
              help="Act only when a month has passed since the last snapshot (safe to run "
                   "from a daily cron).")
def refresh(target: Target, today: dt.datetime | None, band: str | None, if_due: bool) -> None:
    """Monthly job: snapshot every account into History, fill Followers 30d Ago from the
    snapshot 25-35 days old, recompute, and send new alerts to the destinations of
    sheets-sync.toml. Running it again adds nothing and sends nothing twice."""
    from .monthly import refresh as run_refresh

    progress, done = _progress(not target.as_json, 4)
    try:
        report = _run(lambda: run_refresh(target.sheet, today=today.date() if today else None,
                                          if_due=if_due, progress=progress,
                                          notify=target.destinations,
                                          **target.recompute_options(band)))
    finally:
        done()
    _finish(report, target.as_json)


@cli.command()
@_target_options
@_today_option
@_band_option
def validate(target: Target, today: dt.datetime | None, band: str | None) -> None:
    """List every cell that cannot be read, with its A1 reference (exit 1 if any)."""
    report = _run(lambda: sync.validate(target.sheet, today=today.date() if today else None,
                                        **target.recompute_options(band)))
    _finish(report, target.as_json)


@cli.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the CSV files (created if missing).")
@click.option("--raw", is_flag=True,
              help="Write text starting with = + - @ as it is (by default it gets a leading ' "
                   "so a spreadsheet program opening the CSV never runs it as a formula).")
@_target_options
def pull(out_dir: Path, raw: bool, target: Target) -> None:
    """Write one CSV per tab into --out, with column keys as headers."""
    paths = _run(lambda: sync.pull(target.sheet, out_dir, raw=raw, **target.options))
    if target.as_json:
        click.echo(json.dumps({"target": target.sheet, "files": [str(p) for p in paths]},
                              indent=2))
    else:
        for path in paths:
            click.echo(str(path))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default).")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
def emulator(host: str, port: int) -> None:
    """Run a local Google Sheets/Drive API emulator (set SHEETS_SYNC_EMULATOR_HOST to use it)."""
    try:
        from sheets_emulator import DiscoveryUnavailableError, check_dependencies, serve
    except ImportError as exc:
        click.echo(f"Error: the emulator needs extra packages ({exc.name}); "
                   "install them with: pip install 'sheets-sync[emulator]'", err=True)
        sys.exit(EXIT_USAGE)
    try:
        check_dependencies()
    except DiscoveryUnavailableError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Sheets API emulator on http://{host}:{port}  (page: http://{host}:{port}/)\n"
               f"use it with: export SHEETS_SYNC_EMULATOR_HOST={host}:{port}", err=True)
    serve(host=host, port=port)


@cli.group()
def addon() -> None:
    """The Google Workspace add-on: the benchmark in the Sheets side panel."""


@addon.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default).")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
def addon_serve(host: str, port: int) -> None:
    """Serve the add-on's endpoint (homepage, file scope and action callbacks).

    Configured by SHEETS_SYNC_ADDON_AUDIENCE (the endpoint's public URL) and
    SHEETS_SYNC_ADDON_SERVICE_ACCOUNT (the add-on's service account); every request must
    carry an ID token Google signed for that account.
    """
    try:
        from .addon.app import create_app
    except ImportError as exc:
        click.echo(f"Error: the add-on needs extra packages ({exc.name}); "
                   "install them with: pip install 'sheets-sync[addon]'", err=True)
        sys.exit(EXIT_USAGE)
    from .addon import AddonConfig

    config = _run(AddonConfig.from_env)
    app = create_app(config)
    click.echo(f"Workspace add-on endpoint on http://{host}:{port}  "
               f"(audience {config.audience})", err=True)
    app.run(host=host, port=port)


@cli.group()
def note() -> None:
    """Context notes: dated outside events that explain a jump (launch, collab, viral video)."""


@note.command("add")
@click.argument("text")
@click.option("--handle", help="The account the note is about (optional).")
@click.option("--kind", default="other", show_default=True,
              help="product launch, creator collab, campaign, viral video, algorithm change, "
                   "crisis, seasonal event or other; a word or start of one is enough "
                   "(launch, collab, viral).")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Date of the event. Default: today.")
@click.option("--author", help="Who wrote it. Default: your user name.")
@_target_options
def note_add(text: str, handle: str | None, kind: str, day: dt.datetime | None,
             author: str | None, target: Target) -> None:
    """Append TEXT to Context Notes (the same note twice is added once)."""
    from .notes import add_note

    report = _run(lambda: add_note(target.sheet, text, handle=handle, kind=kind,
                                   date=day.date() if day else None, author=author,
                                   **target.write_options))
    if target.as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo("\n".join(report.notes) or f"Added a note to {report.target}")


@note.command("list")
@click.option("--handle", help="Only notes about this account.")
@click.option("--kind", help="Only notes of this kind.")
@_target_options
def note_list(handle: str | None, kind: str | None, target: Target) -> None:
    """Print the notes of Context Notes, oldest first as in the sheet."""
    from .notes import list_notes

    notes = _run(lambda: list_notes(target.sheet, handle=handle, kind=kind, **target.options))
    if target.as_json:
        click.echo(json.dumps([n.to_dict() for n in notes], indent=2, ensure_ascii=False))
        return
    for item in notes:
        day = item.date.isoformat() if item.date else "----------"
        who = f" ({item.author})" if item.author else ""
        about = f" {item.handle}" if item.handle else ""
        click.echo(f"{day} [{item.kind}]{about}: {item.text}{who}")


@cli.group()
def fleet() -> None:
    """Many workbooks under one Google quota: the monthly refresh of a whole fleet."""


@fleet.command("refresh")
@click.argument("fleet_file", type=click.Path(dir_okay=False, path_type=Path))
@_today_option
@click.option("--shard", metavar="I/N",
              help="Refresh only this machine's share: shard I of N (0-based), by a stable "
                   "hash of each workbook's id. Default: $CLOUD_RUN_TASK_INDEX/"
                   "$CLOUD_RUN_TASK_COUNT, or $JOB_COMPLETION_INDEX/$SHEETS_SYNC_SHARD_COUNT, "
                   "or every workbook.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary for scripts.")
def fleet_refresh(fleet_file: Path, today: dt.datetime | None, shard: str | None,
                  as_json: bool) -> None:
    """Refresh every workbook of FLEET_FILE, paced under the Sheets quotas; a workbook
    already refreshed this month is skipped, so a rerun after a crash finishes the job.
    One line per workbook on stderr, a summary at the end; the exit code is the worst
    workbook's."""
    from .fleet import refresh_fleet
    from .fleet_config import load_fleet, shard_from

    loaded = _run(lambda: load_fleet(fleet_file))
    chosen = _run(lambda: shard_from(shard))

    def done(outcome: Any, number: int, total: int) -> None:
        click.echo(f"[{number}/{total}] {outcome.line()}", err=True)

    report = _run(lambda: refresh_fleet(loaded, today=today.date() if today else None,
                                        shard=chosen, on_done=done))
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(report.summary())
    sys.exit(report.exit_code)
