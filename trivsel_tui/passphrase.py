"""The passphrase of an encrypted database, asked for on the terminal (never an argument, a variable or a file).

On a terminal it is read without echo (getpass); from a pipe it is read line by line, so a script or a
test can hand it over on standard input. The app asks here too, before the full screen starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trivsel_tui.quick import fail
from trivsel_tui.texts import t

TRIES = 3
MIN_LENGTH = 10


def _read(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def passphrase_for(path: Path) -> str | None:
    """None for a plain (or missing) file; for an encrypted one the passphrase that opens it, or exit 2."""
    from trivsel_tui.store import cipher

    if not cipher.looks_encrypted(path):
        return None
    if not cipher.available():
        fail(t("encryption.not_installed"), 2)
    for tried in range(TRIES):
        try:
            key = _read(t("encryption.prompt", path=path))
        except (EOFError, KeyboardInterrupt):
            fail(t("encryption.wrong_passphrase" if tried else "encryption.no_passphrase", path=path), 2)
        try:
            cipher.verify(path, key)
            return key
        except cipher.WrongPassphraseError:
            if tried + 1 < TRIES:
                print(t("encryption.try_again", left=TRIES - tried - 1), file=sys.stderr, flush=True)
        except cipher.CipherError as exc:
            fail(str(exc), 2)
    fail(t("encryption.gave_up", path=path, tries=TRIES), 2)


def new_passphrase(path: Path) -> str:
    """A new passphrase, typed twice."""
    try:
        key = _read(t("encryption.new_prompt", path=path, length=MIN_LENGTH))
        again = _read(t("encryption.repeat_prompt"))
    except (EOFError, KeyboardInterrupt):
        fail(t("encryption.no_passphrase", path=path), 2)
    if len(key) < MIN_LENGTH:
        fail(t("encryption.too_short", length=MIN_LENGTH), 2)
    if "\x00" in key:
        fail(t("encryption.bad_passphrase"), 2)
    if key != again:
        fail(t("encryption.mismatch"), 2)
    return key
