"""A local emulator of the Google Sheets v4 API, the Drive v3 API and Google's OAuth token endpoint.

In-process (no sockets)::

    state = EmulatorState()
    EmulatorAdapter(state).mount_google(session)

Over HTTP::

    with running_emulator() as emu:
        ...  # emu.url, emu.host_port, emu.state

Requests are checked against Google's discovery documents, which come with
google-api-python-client (pip install 'sheets-sync[emulator]'); without it, creating an
EmulatorAdapter or starting a server raises DiscoveryUnavailableError.
"""

from .app import dispatch
from .exceptions import DiscoveryUnavailableError, EmulatorError
from .models import EmulatorState
from .server import RunningEmulator, running_emulator, serve
from .transport import GOOGLE_HOSTS, EmulatorAdapter, ForwardingAdapter
from .validation import check_dependencies

__all__ = [
    "GOOGLE_HOSTS",
    "DiscoveryUnavailableError",
    "EmulatorAdapter",
    "EmulatorError",
    "EmulatorState",
    "ForwardingAdapter",
    "RunningEmulator",
    "check_dependencies",
    "dispatch",
    "running_emulator",
    "serve",
]
