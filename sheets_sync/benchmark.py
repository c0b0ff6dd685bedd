"""The read model: what a backend read, resolved once.

Every command works from a `Benchmark`: the category tabs found by id, title or
accounts (a teammate may rename them), their layouts and parsed rows, the other
tabs, History, Context Notes, the alerts already raised and the memory of the last
push. A command names the `Part`s it needs, so only those are parsed.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from .alerts import AlertRow, read_alerts
from .backends import Backend
from .context_notes import ContextNote, parse_notes
from .errors import TemplateError
from .history import Snapshot, parse_history
from .layout import TableLayout, locate_table
from .remembered_template import settle_template
from .sheet_rows import SheetState, read_category_tabs
from .sync_state import SyncState, read_state
from .template import CATEGORY_KEYS, Template, builtin_template_names, load_template
from .workbook import ReadScope, TabGrid, WorkbookGrid


class Part(enum.Flag):
    """What a command needs of the workbook."""

    CATEGORIES = enum.auto()  # the category tabs, their layouts and rows (with the state)
    SUMMARY = enum.auto()
    NOTES = enum.auto()
    HISTORY = enum.auto()
    ALERTS = enum.auto()
    ALL = CATEGORIES | SUMMARY | NOTES | HISTORY | ALERTS


OTHER_TABS = ("summary", "context_notes", "history", "alerts")


@dataclass
class Benchmark:
    grid: WorkbookGrid
    template: Template  # with our brand as this read settles it
    base: SyncState  # what the last push left
    sheet: SheetState  # the category tabs
    tabs: dict[str, TabGrid | None]  # every template tab key -> the tab found, or None
    layouts: dict[str, TableLayout]  # every template tab key -> its table
    parts: Part = Part.ALL
    max_cell_chars: int | None = None  # the longest text a cell of this backend holds
    history: list[Snapshot] = field(default_factory=list)
    notes: list[ContextNote] = field(default_factory=list)
    # The band preset a command or an earlier push named; kept in the memory of the push.
    band_setting: str | None = None
    alerts: list[AlertRow] = field(default_factory=list)  # the Alerts tab's rows

    @property
    def alert_ids(self) -> set[tuple[str, str, str, str]]:
        """The identities of the alerts already raised: an alert is raised once."""
        return {a.identity for a in self.alerts}

    @property
    def exists(self) -> bool:
        return bool(self.grid.tabs)

    def title(self, key: str) -> str:
        """The tab's title in the workbook (a renamed tab's new one), else the template's."""
        tab = self.tabs.get(key)
        return tab.title if tab is not None else self.template.all_tabs[key]


def settle_brand(template: Template, our_brand: Sequence[str] | None,
                 base: SyncState) -> Template:
    """Our brand: the one given, else the one the last push ran with, else the template's."""
    chosen = tuple(our_brand) if our_brand is not None else base.our_brand
    if chosen is None or chosen == template.our_brand:
        return template
    return template.model_copy(update={"our_brand": chosen})


def settle_band(template: Template, band: str | None,
                base: SyncState) -> tuple[Template, str | None]:
    """The band: the preset named (an unknown name is an error), else the one an earlier push
    was told to use (ignored if this template has no such preset), else the template's."""
    if band is not None:
        return template.with_band(band), band
    remembered = base.settings.get("band") or None
    try:
        return template.with_band(remembered), remembered
    except TemplateError:
        return template, None


def read_benchmark(grid: WorkbookGrid, template: Template, *, parts: Part = Part.ALL,
                   our_brand: Sequence[str] | None = None,
                   max_cell_chars: int | None = None, band: str | None = None,
                   location: str = "the workbook") -> Benchmark:
    """Resolve what a backend read into the benchmark, parsing only `parts`."""
    base = read_state(grid)
    template = settle_template(template, base, [t.title for t in grid.tabs], location)
    template = settle_brand(template, our_brand, base)
    template, band_setting = settle_band(template, band, base)
    sheet = read_category_tabs(grid, template, base)
    tabs: dict[str, TabGrid | None] = {k: sheet.tabs[k].grid for k in CATEGORY_KEYS}
    layouts: dict[str, TableLayout] = {k: sheet.tabs[k].layout for k in CATEGORY_KEYS}
    taken = {t.title for t in tabs.values() if t is not None}
    for key in OTHER_TABS:
        tab = _find_tab(grid, template, key, base, taken)
        tabs[key] = tab
        if tab is not None:
            taken.add(tab.title)
        title = tab.title if tab is not None else template.all_tabs[key]
        layouts[key] = locate_table(tab, title, template.columns_of(key))
    bench = Benchmark(grid, template, base, sheet, tabs, layouts, parts, max_cell_chars,
                      band_setting=band_setting)
    if Part.HISTORY in parts:
        bench.history = parse_history(tabs["history"], layouts["history"], template)
    if Part.NOTES in parts:
        bench.notes = parse_notes(tabs["context_notes"], layouts["context_notes"], template)
    if Part.ALERTS in parts:
        bench.alerts = read_alerts(tabs["alerts"], layouts["alerts"])
    return bench


def read_scope(template: Template, parts: Part) -> ReadScope:
    """What to read for `parts`: History and Alerts only when a command uses their rows
    (their header rows always, so a push still knows their columns), cell notes only
    for History's fills. The log tabs are known by the titles every shipped template
    gives them as well as this one's: the template a workbook remembers is settled only
    after the read."""
    skipped = [key for key, part in (("history", Part.HISTORY), ("alerts", Part.ALERTS))
               if part not in parts]
    titles = {template.all_tabs[key] for key in skipped}
    for key in skipped:
        titles.update(_shipped_titles(key))
    return ReadScope(frozenset(t.strip().casefold() for t in titles),
                     cell_notes=Part.HISTORY in parts)


@functools.cache
def _shipped_titles(key: str) -> frozenset[str]:
    return frozenset(load_template(name).all_tabs[key] for name in builtin_template_names())


def load_benchmark(backend: Backend, template: Template, *, parts: Part = Part.ALL,
                   our_brand: Sequence[str] | None = None, band: str | None = None) -> Benchmark:
    """Read the workbook once, no more of it than `parts` need, and resolve it."""
    grid = backend.read(read_scope(template, parts))
    return read_benchmark(grid, template, parts=parts, our_brand=our_brand,
                          max_cell_chars=backend.max_cell_chars, band=band,
                          location=backend.location)


def _find_tab(grid: WorkbookGrid, template: Template, key: str, base: SyncState,
              taken: set[str]) -> TabGrid | None:
    """A tab by the id the last push saw (it survives a rename), else by its title."""
    tab_id = base.tab_ids.get(key)
    if tab_id:
        found = next((t for t in grid.tabs if t.tab_id is not None and str(t.tab_id) == tab_id
                      and t.title not in taken), None)
        if found is not None:
            return found
    found = grid.find(template.all_tabs[key])
    return found if found is not None and found.title not in taken else None
