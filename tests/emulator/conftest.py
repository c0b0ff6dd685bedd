"""Fixtures for the emulator tests: a service-account key made here, emulator states and
a running emulator with its /_emulator/ controls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sheets_emulator import EmulatorState, RunningEmulator, running_emulator

from .helpers import PERSON, Admin, credentials, inprocess_client


@pytest.fixture(scope="session")
def private_key_pem() -> str:
    """A fresh RSA key for the service-account credentials (never a real one)."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError:
        legacy_rsa = pytest.importorskip("rsa", reason="needs cryptography or rsa to make a key")
        _, private = legacy_rsa.newkeys(2048)
        return str(private.save_pkcs1().decode())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def state() -> EmulatorState:
    return EmulatorState(seed=7)


@pytest.fixture
def gc(state: EmulatorState, private_key_pem: str) -> Any:
    """A gspread client acting as a person (a delegated service-account key), who may
    create files."""
    return inprocess_client(state, credentials(private_key_pem).with_subject(PERSON))


@pytest.fixture(scope="module")
def server() -> Iterator[RunningEmulator]:
    with running_emulator() as emu:
        yield emu


@pytest.fixture
def admin(server: RunningEmulator) -> Admin:
    helper = Admin(server.url)
    helper("POST", "reset")
    return helper
