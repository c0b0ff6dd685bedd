"""A local emulator of the Google Sheets v4 API, the Drive v3 API and Google's OAuth token endpoint.

In-process (no sockets)::

    state = EmulatorState()
    EmulatorAdapter(state).mount_google(session)

Over HTTP::

    with running_emulator() as emu:
        ...  # emu.url, emu.host_port, emu.state
"""

from .app import dispatch
from .models import EmulatorState
from .server import RunningEmulator, running_emulator, serve
from .transport import GOOGLE_HOSTS, EmulatorAdapter, ForwardingAdapter

__all__ = [
    "GOOGLE_HOSTS",
    "EmulatorAdapter",
    "EmulatorState",
    "ForwardingAdapter",
    "RunningEmulator",
    "dispatch",
    "running_emulator",
    "serve",
]
