"""A key file for a machine's own demo or benchmark database, made once."""

import base64
import os
from pathlib import Path


def key_file_made_once(path: Path) -> Path:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        line = "local:" + base64.b64encode(os.urandom(32)).decode() + "\n"
        # O_EXCL: two processes starting together keep one key, not two.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path
        with os.fdopen(fd, "w") as file:
            file.write("# Made by config/settings for this machine's local database; never for production.\n")
            file.write(line)
    return path
