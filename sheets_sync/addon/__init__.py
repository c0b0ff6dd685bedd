"""A Google Workspace add-on backend: the benchmark in the Sheets side panel.

Google POSTs an event object to the endpoint; the endpoint answers with card JSON.
`create_app` (in `sheets_sync.addon.app`) needs Flask: pip install 'sheets-sync[addon]'.
"""

from .config import AddonConfig

__all__ = ["AddonConfig"]
