"""Google-style ID tokens for trying the Sheets side panel locally.

The add-on endpoint verifies every request's ID token against a certificates URL. Pointed
at the emulator's /_emulator/certs, it accepts tokens from /_emulator/id-token, signed
with a key the emulator makes when first asked; the checks themselves are the same.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from functools import lru_cache

from google.auth import crypt, jwt

KEY_ID = "sheets-sync-emulator"
ISSUER = "https://accounts.google.com"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _key_and_certificate() -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sheets-sync emulator")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(days=1))
                   .not_valid_after(now + dt.timedelta(days=3650))
                   .sign(key, hashes.SHA256()))
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return pem_key, certificate.public_bytes(serialization.Encoding.PEM).decode()


def certificates() -> dict[str, str]:
    with _lock:
        return {KEY_ID: _key_and_certificate()[1]}


def id_token(audience: str, email: str, lifetime: int = 3600) -> str:
    with _lock:
        pem_key = _key_and_certificate()[0]
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": audience, "sub": email, "email": email,
              "email_verified": True, "iat": now, "exp": now + lifetime}
    return jwt.encode(crypt.RSASigner.from_string(pem_key, KEY_ID), claims).decode()
