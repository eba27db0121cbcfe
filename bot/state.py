"""The bot's own state: staff-made deadlines (and, with them, reminder bookkeeping).

It lives in its own SQLite file, apart from the catalog, because the catalog is rebuilt from YAML at
any time and staff-made data must survive every rebuild and restart.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS deadlines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    due_utc TEXT NOT NULL,          -- ISO 8601, UTC
    timezone TEXT NOT NULL,         -- as staff gave it (IANA name, offset or AoE), for display
    description TEXT NOT NULL DEFAULT '',
    link TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    due: dt.datetime  # aware, UTC
    timezone: str
    description: str = ""
    link: str | None = None


class State:
    """A small, serialised wrapper over the state database (safe to share between threads)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.lock = threading.RLock()
        with self.lock:
            self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def deadlines(self) -> list[Deadline]:
        with self.lock:
            rows = self.conn.execute("SELECT * FROM deadlines ORDER BY due_utc, title").fetchall()
        return [Deadline(r["id"], r["title"], dt.datetime.fromisoformat(r["due_utc"]), r["timezone"],
                         r["description"], r["link"]) for r in rows]
