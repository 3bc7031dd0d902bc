"""Personal values in the audit log, sealed with a per-case key so that destroying the key erases them.

The audit log may never be updated or deleted (database triggers), yet a discarded case must leave
no personal data behind. So for every audit entry about a case the values are encrypted with that
case's key (AES-256-GCM) and only the skeleton – who, when, which row, which fields – stays readable.
Kassation deletes the key, which turns every sealed value of the case into unreadable bytes
("crypto-shredding"). A redaction (a CPR number in free text) re-seals the case's history without
it under a fresh key and destroys the old key.

Why AES-GCM from `cryptography`: authenticated encryption (a tampered entry fails to open instead
of yielding garbage), a 12-byte random nonce per entry, no own crypto; `cryptography` is the
maintained, audited standard for Python (pyca, OpenSSL/BoringSSL underneath, wheels everywhere).
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def _context(owner_id: int, scope: str) -> bytes:
    # Bound to the owner: an entry copied to another case's (or workplace's) history does not open there.
    return f"trivsel-audit:{scope}:{owner_id}".encode()


def seal(values: dict[str, Any], key: bytes, owner_id: int, scope: str = "case") -> str:
    plain = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return seal_json(plain, AESGCM(key), owner_id, scope)


def seal_json(plain: bytes, cipher: AESGCM, owner_id: int, scope: str = "case") -> str:
    """`seal` for values that are JSON already, with the owner's cipher made once (bulk sealing)."""
    nonce = os.urandom(NONCE_BYTES)
    return base64.b64encode(nonce + cipher.encrypt(nonce, plain, _context(owner_id, scope))).decode("ascii")


def unseal(sealed: str, key: bytes, owner_id: int, scope: str = "case") -> dict[str, Any] | None:
    """The values, or None when they cannot be opened (wrong key or tampered)."""
    raw = base64.b64decode(sealed)
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _context(owner_id, scope))
    except InvalidTag:
        return None
    values: dict[str, Any] = json.loads(plain)
    return values


def skeleton(changes: dict[str, Any]) -> dict[str, Any]:
    """What stays readable: the field names, without their values."""
    return dict.fromkeys(changes)
