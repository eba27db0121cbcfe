"""Count the commits made to a SQLite file, and see which threads wrote a table.

Commits are read from the write-ahead log itself: every commit appends frames, the last of which
records the database size (non-zero only in a commit frame), so the commit frames of the current WAL
generation are the commits that reached the disk (an fsync each with `synchronous=FULL`; an empty
BEGIN…COMMIT writes none). Automatic checkpoints are switched off on the counted connection so the log
is not restarted while counting. `PRAGMA data_version` cannot count them: it only says that another
connection changed the file since this one last looked.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

WAL_HEADER, FRAME_HEADER = 32, 24
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _commit_frames(db: Path) -> tuple[bytes, int]:
    """The WAL generation's salt and how many commit frames it holds."""
    wal = Path(f"{db}-wal")
    data = wal.read_bytes() if wal.exists() else b""
    if len(data) < WAL_HEADER:
        return b"", 0
    page, salt = int.from_bytes(data[8:12], "big"), data[16:24]
    count, offset = 0, WAL_HEADER
    while offset + FRAME_HEADER + page <= len(data):
        frame = data[offset:offset + FRAME_HEADER]
        if frame[8:16] != salt:  # a frame left from an earlier generation: the log ends here
            break
        count += int.from_bytes(frame[4:8], "big") != 0
        offset += FRAME_HEADER + page
    return salt, count


class Commits:
    """Commits to *conn*'s file since this was made (`count`), and the threads that wrote *table*."""

    def __init__(self, conn: sqlite3.Connection, db: Path, table: str = "reminders"):
        self.conn, self.db, self.table = conn, db, table
        conn.execute("PRAGMA wal_autocheckpoint=0")
        self._salt, self._start = _commit_frames(db)
        self.writers: set[int] = set()
        conn.set_trace_callback(self._trace)

    @property
    def count(self) -> int:
        salt, now = _commit_frames(self.db)
        assert salt == self._salt or self._start == 0, "the log was restarted while counting"
        return now - self._start

    def _trace(self, sql: str) -> None:
        words = sql.split()
        if words and words[0].upper() in WRITES and self.table in sql:
            self.writers.add(threading.get_ident())

    def stop(self) -> None:
        self.conn.set_trace_callback(None)
