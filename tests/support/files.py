"""Real file faults for tests: a read-only file that even root cannot write."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _chattr(flag: str, path: Path) -> bool:
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True, check=False)
    return done.returncode == 0


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make *paths* unwritable for the duration. Root ignores permission bits, so as root the immutable
    attribute (`chattr +i`) is used; otherwise the write bits are cleared (which stops new opens only)."""
    existing = [p for p in paths if p.exists()]
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("root ignores file modes and chattr is not installed: cannot make a file read-only")
        marked: list[Path] = []
        try:
            for path in existing:
                if not _chattr("+i", path):
                    pytest.skip(f"this file system has no immutable attribute (chattr +i {path} failed)")
                marked.append(path)
            yield
        finally:
            for path in marked:
                _chattr("-i", path)
    else:
        modes = {p: p.stat().st_mode for p in existing}
        try:
            for path in existing:
                path.chmod(stat.S_IMODE(modes[path]) & ~0o222)
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(stat.S_IMODE(mode))


def can_make_a_live_file_read_only() -> bool:
    """A file already open for writing stops taking writes only with the immutable attribute (root)."""
    return os.geteuid() == 0 and shutil.which("chattr") is not None
