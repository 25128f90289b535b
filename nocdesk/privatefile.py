"""Write a file only its owner can read, whole or not at all (exported configs, the secrets file)."""

from __future__ import annotations

import os
from pathlib import Path


def write_private_text(path: Path, text: str, *, newline: str | None = None) -> Path:
    """Write `text` (UTF-8) to `path`, mode 0600, parents created.

    Written beside the target and renamed into place, so the file never exists half-written: a reader (an
    editor, another process) sees the old file or the new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as out:
            out.write(text)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
