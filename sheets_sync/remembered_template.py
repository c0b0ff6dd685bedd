"""The template a workbook was laid out with, remembered in its hidden state.

A workbook laid out with one template and pushed with another would get a second set of
tabs (a zh workbook pushed without `--template zh` gained seven empty English tabs). So
the last push's template is kept in `_sheets_sync`; a command that names no template
uses it, and one that names another is refused with the flag that fits.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .errors import ConfigError, TemplateError
from .sync_state import SyncState
from .template import CATEGORY_KEYS, Template, builtin_template_names, load_template

NAME, SOURCE = "template", "template_source"


def remembered_template(template: Template) -> dict[str, str]:
    """What the state keeps: the template's name, and its file when it is not built in."""
    kept = {NAME: template.name}
    if template.name not in builtin_template_names() and template.source:
        kept[SOURCE] = str(Path(template.source).resolve())
    return kept


def _laid_out_with(base: SyncState, tab_titles: Collection[str],
                   template: Template) -> str | None:
    """The remembered name; for a workbook from before it was remembered, the built-in
    template whose category tabs it has when it has none of `template`'s."""
    if base.settings.get(NAME):
        return base.settings[NAME]
    present = {t.strip().casefold() for t in tab_titles}

    def has_tabs(candidate: Template) -> bool:
        return all(candidate.category_tabs[k].strip().casefold() in present
                   for k in CATEGORY_KEYS)

    if not base.rows or has_tabs(template):
        return None
    for name in builtin_template_names():
        try:
            candidate = load_template(name)
        except TemplateError:
            continue
        if has_tabs(candidate):
            return name
    return None


def settle_template(template: Template, base: SyncState, tab_titles: Collection[str],
                    location: str) -> Template:
    """The template to use on this workbook: its own, unless the command named the same."""
    own = _laid_out_with(base, tab_titles, template)
    if own is None or own == template.name:
        return template
    flag = base.settings.get(SOURCE) or own
    if template.chosen:
        raise ConfigError(
            f"{location} was laid out with the {own!r} template, not {template.name!r}; "
            "a push with another template would add a second set of tabs",
            hint=f"pass --template {flag}, or leave --template out (and SHEETS_SYNC_TEMPLATE "
                 "and `template` in sheets-sync.toml unset) to use the workbook's own")
    try:
        settled = load_template(flag)
    except TemplateError as exc:
        raise ConfigError(
            f"{location} was laid out with the {own!r} template, which cannot be loaded here: "
            f"{exc.message}", hint=f"pass --template with the path of the {own!r} template "
                                   "file") from None
    return settled.model_copy(update={"our_brand": template.our_brand})
