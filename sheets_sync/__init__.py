"""sheets-sync: build and keep a TikTok competitor benchmark in Google Sheets or a local .xlsx."""

from .errors import SheetsSyncError
from .importer import read_input_files
from .metrics import compute_metrics
from .report import Problem, SyncReport
from .sync import init, plan, pull, push, validate
from .template import Template, load_template

__all__ = [
    "Problem",
    "SheetsSyncError",
    "SyncReport",
    "Template",
    "compute_metrics",
    "init",
    "load_template",
    "plan",
    "pull",
    "push",
    "read_input_files",
    "validate",
]
__version__ = "0.1.0"
