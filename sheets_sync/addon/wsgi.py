"""The app for a WSGI server (`gunicorn sheets_sync.addon.wsgi:app`), configured from the
environment; importing it without the SHEETS_SYNC_ADDON_* variables raises ConfigError."""

from .app import create_app
from .config import AddonConfig

app = create_app(AddonConfig.from_env())
