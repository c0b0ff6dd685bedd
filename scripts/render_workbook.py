"""Render each tab of an .xlsx workbook to PNG images, as LibreOffice Calc draws it.

    python scripts/render_workbook.py benchmark.xlsx --out renders/ [--tab Summary] [--dpi 110]

Each tab is printed on its own (the other tabs hidden) with `libreoffice --headless
--convert-to pdf`, then `pdftoppm` turns every page into `<tab>-<page>.png`. A tab wider
than about one screen is split into pages side by side (`--pages-wide` sets how many).
Needs LibreOffice Calc and poppler's pdftoppm (Debian: apt-get install libreoffice-calc
poppler-utils); the script says which is missing.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

UNITS_PER_PAGE = 160  # column width units that stay legible on one landscape page
CONVERT_TIMEOUT = 180  # seconds


class RenderError(Exception):
    """What the person has to fix before anything can be rendered."""


def office_command() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        raise RenderError("LibreOffice is not installed (no `libreoffice` or `soffice` on "
                          "PATH); on Debian/Ubuntu: apt-get install libreoffice-calc")
    return found


def pdftoppm_command() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        raise RenderError("pdftoppm is not installed; on Debian/Ubuntu: "
                          "apt-get install poppler-utils")
    return found


def _file_stem(title: str) -> str:
    return re.sub(r"[^\w-]+", "_", title).strip("_") or "tab"


def _pages_wide(ws: object) -> int:
    widths = [d.width or 13 for d in ws.column_dimensions.values()]  # type: ignore[attr-defined]
    used = max(ws.max_column, 1)  # type: ignore[attr-defined]
    units = sum(widths[:used]) + 13 * max(used - len(widths), 0)
    return max(1, math.ceil(units / UNITS_PER_PAGE))


def _single_tab_copy(source: Path, title: str, pages_wide: int | None, folder: Path) -> Path:
    book = load_workbook(source)
    if title not in book.sheetnames:
        raise RenderError(f"{source} has no tab {title!r}; its tabs: "
                          + ", ".join(book.sheetnames))
    target = book[title]
    for ws in book.worksheets:
        ws.sheet_state = "visible" if ws is target else "hidden"
    book.active = book.worksheets.index(target)
    target.page_setup.orientation = "landscape"
    target.page_setup.fitToWidth = pages_wide or _pages_wide(target)
    target.page_setup.fitToHeight = 0
    target.sheet_properties.pageSetUpPr.fitToPage = True
    frozen = target.freeze_panes
    if frozen and target.page_setup.fitToWidth > 1:
        # the frozen columns (a category tab's Handle) printed again on every page
        last = "".join(ch for ch in frozen if ch.isalpha())
        if last != "A":
            previous = chr(ord(last[-1]) - 1) if len(last) == 1 else None
            if previous:
                target.print_title_cols = f"A:{previous}"
    copy = folder / f"{_file_stem(title)}.xlsx"
    book.save(copy)
    return copy


def render_tab(source: Path, title: str, out: Path, *, dpi: int = 110,
               pages_wide: int | None = None) -> list[Path]:
    """PNG images of one tab, a page each, in `out`; returns their paths."""
    office, pdftoppm = office_command(), pdftoppm_command()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        copy = _single_tab_copy(source, title, pages_wide, folder)
        profile = folder / "profile"  # a private profile: a running LibreOffice is no obstacle
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(copy)],
                       check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
        pdf = copy.with_suffix(".pdf")
        if not pdf.is_file():
            raise RenderError(f"LibreOffice made no PDF of {title!r} from {source}")
        prefix = out / _file_stem(title)
        for old in out.glob(f"{prefix.name}-*.png"):
            old.unlink()
        subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                       capture_output=True, timeout=CONVERT_TIMEOUT)
    return sorted(out.glob(f"{prefix.name}-*.png"))


def render_workbook(source: Path, out: Path, tabs: list[str] | None = None, *,
                    dpi: int = 110, pages_wide: int | None = None) -> list[Path]:
    """PNG images of every visible tab (or of `tabs`)."""
    if not source.is_file():
        raise RenderError(f"{source} does not exist")
    office_command()
    pdftoppm_command()
    if tabs is None:
        book = load_workbook(source, read_only=True)
        tabs = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
        book.close()
    images: list[Path] = []
    for title in tabs:
        images.extend(render_tab(source, title, out, dpi=dpi, pages_wide=pages_wide))
    return images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--out", type=Path, default=Path("renders"),
                        help="folder for the PNG images (default: renders)")
    parser.add_argument("--tab", action="append", dest="tabs",
                        help="render only this tab (repeatable); default: every visible tab")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--pages-wide", type=int, default=None,
                        help="pages side by side per tab (default: from the tab's width)")
    args = parser.parse_args(argv)
    try:
        images = render_workbook(args.workbook, args.out, args.tabs, dpi=args.dpi,
                                 pages_wide=args.pages_wide)
    except RenderError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"Error: {exc.cmd[0]} failed: {exc.stderr.decode(errors='replace')[-500:]}",
              file=sys.stderr)
        return 2
    for image in images:
        print(image)
    return 0


if __name__ == "__main__":
    sys.exit(main())
