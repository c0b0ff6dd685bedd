"""sheets-sync: build and keep a TikTok competitor benchmark in Google Sheets or a local .xlsx.

Every command of the CLI is a function here, returning a report (or what it lists).
"""

from .benchmark import Benchmark, Part, load_benchmark, read_benchmark
from .config import Settings, resolve_settings
from .context_notes import ContextNote
from .errors import SheetsSyncError
from .importer import read_input_files
from .metrics import compute_metrics
from .monthly import refresh
from .notes import add_note, list_notes
from .report import Problem, SyncReport
from .sync import init, init_google, plan, pull, push, validate
from .template import Template, load_template

__all__ = [
    "Benchmark",
    "ContextNote",
    "Part",
    "Problem",
    "Settings",
    "SheetsSyncError",
    "SyncReport",
    "Template",
    "add_note",
    "compute_metrics",
    "init",
    "init_google",
    "list_notes",
    "load_benchmark",
    "load_template",
    "plan",
    "pull",
    "push",
    "read_benchmark",
    "read_input_files",
    "refresh",
    "resolve_settings",
    "validate",
]
__version__ = "0.1.0"
