"""The bot's own state: staff-made deadlines, reminder settings and every reminder's life.

It lives in its own SQLite file, apart from the catalog, because the catalog is rebuilt from YAML at
any time and staff-made data must survive every rebuild and restart. Each reminder transition
(planned → sending → sent, or missed / failed / cancelled) is one committed write, so a crash at any
instant leaves a state the next start can finish from without sending anything twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reminders (
    deadline_id TEXT NOT NULL,
    offset_s INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    due_utc TEXT NOT NULL,
    status TEXT NOT NULL,           -- planned | sending | sent | missed | failed | cancelled
    nonce TEXT NOT NULL,            -- sent with enforce_nonce: Discord drops a repeat after a crash
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_utc TEXT,
    last_error TEXT,
    message_id TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (deadline_id, offset_s, channel_id)
);
"""
Status = Literal["planned", "sending", "sent", "missed", "failed", "cancelled"]
"""A reminder's life: planned → sending → sent, or missed / failed / cancelled."""
UNSENT: tuple[Status, ...] = ("planned", "sending")
SettingKey = Literal["channel_id", "role_id", "offsets"]
"""The reminder settings staff can change (kept as JSON in the settings table)."""


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    due: dt.datetime  # aware, UTC
    timezone: str
    description: str = ""
    link: str | None = None


@dataclass(frozen=True)
class Reminder:
    deadline_id: str
    offset_s: int
    channel_id: int
    due: dt.datetime
    status: Status
    nonce: str
    attempts: int
    next_try: dt.datetime | None
    last_error: str | None


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat()


def _dt(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def nonce_for(deadline_id: str, offset_s: int, channel_id: int, due: dt.datetime) -> str:
    """Same reminder, same nonce (≤25 chars): a resend after a crash is recognised by Discord."""
    digest = hashlib.sha256(f"{deadline_id}|{offset_s}|{channel_id}|{_iso(due)}".encode()).hexdigest()
    return "r" + digest[:24]


class State:
    """A small, serialised wrapper over the state database (safe to share between threads)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA busy_timeout=5000")
        self.lock = threading.RLock()
        with self.lock:
            self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def _exec(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    # -- deadlines ----------------------------------------------------------------------------
    def deadlines(self) -> list[Deadline]:
        rows = self._exec("SELECT * FROM deadlines ORDER BY due_utc, title").fetchall()
        return [Deadline(r["id"], r["title"], dt.datetime.fromisoformat(r["due_utc"]), r["timezone"],
                         r["description"], r["link"]) for r in rows]

    def deadline(self, deadline_id: str) -> Deadline | None:
        return next((d for d in self.deadlines() if d.id == deadline_id), None)

    def save_deadline(self, d: Deadline, now: dt.datetime, by: str = "") -> None:
        self._exec(
            "INSERT INTO deadlines (id, title, due_utc, timezone, description, link, created_by, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title, due_utc=excluded.due_utc,"
            " timezone=excluded.timezone, description=excluded.description, link=excluded.link,"
            " updated_at=excluded.updated_at",
            (d.id, d.title, _iso(d.due), d.timezone, d.description, d.link, by, _iso(now), _iso(now)))

    def remove_deadline(self, deadline_id: str, now: dt.datetime) -> bool:
        with self.lock:
            gone = self.conn.execute("DELETE FROM deadlines WHERE id=?", (deadline_id,)).rowcount
            self.conn.execute("UPDATE reminders SET status='cancelled', updated_at=? WHERE deadline_id=? AND status"
                              " IN ('planned','sending')", (_iso(now), deadline_id))
        return bool(gone)

    # -- settings -----------------------------------------------------------------------------
    def setting(self, key: SettingKey) -> object:
        """The stored JSON value (None when unset); prefer the typed accessors below."""
        row = self._exec("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    def channel_id(self) -> int | None:
        """The reminder channel staff chose, if any."""
        value = self.setting("channel_id")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else None

    def role_id(self) -> int | None:
        """The one role a reminder may ping, if any."""
        value = self.setting("role_id")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else None

    def offsets(self) -> list[int] | None:
        """Reminder offsets (seconds before the deadline) staff chose; None means the config's."""
        value = self.setting("offsets")
        return [int(v) for v in value] if isinstance(value, list) and value else None

    def set_setting(self, key: SettingKey, value: object) -> None:
        self._exec("INSERT INTO settings VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                   (key, json.dumps(value)))

    # -- reminders ----------------------------------------------------------------------------
    def reminders(self, statuses: tuple[Status, ...] | None = None) -> list[Reminder]:
        sql = "SELECT * FROM reminders"
        params: tuple[object, ...] = ()
        if statuses:
            sql += f" WHERE status IN ({','.join('?' * len(statuses))})"
            params = statuses
        rows = self._exec(sql + " ORDER BY due_utc, deadline_id, offset_s DESC", params).fetchall()
        return [Reminder(r["deadline_id"], r["offset_s"], r["channel_id"], dt.datetime.fromisoformat(r["due_utc"]),
                         r["status"], r["nonce"], r["attempts"], _dt(r["next_try_utc"]), r["last_error"])
                for r in rows]

    def upsert_planned(self, deadline_id: str, offset_s: int, channel_id: int, due: dt.datetime,
                       now: dt.datetime) -> None:
        """Plan a reminder, or move an unsent one to its new due time; a sent one is never touched."""
        nonce = nonce_for(deadline_id, offset_s, channel_id, due)
        with self.lock:
            row = self.conn.execute("SELECT status, due_utc FROM reminders WHERE deadline_id=? AND offset_s=?"
                                    " AND channel_id=?", (deadline_id, offset_s, channel_id)).fetchone()
            if row is None:
                self.conn.execute(
                    "INSERT INTO reminders (deadline_id, offset_s, channel_id, due_utc, status, nonce, updated_at)"
                    " VALUES (?,?,?,?, 'planned', ?, ?)", (deadline_id, offset_s, channel_id, _iso(due), nonce, _iso(now)))
            elif row["status"] == "cancelled" or (row["status"] in ("planned", "missed", "failed")
                                                 and row["due_utc"] != _iso(due)):
                self.conn.execute(
                    "UPDATE reminders SET due_utc=?, nonce=?, status='planned', attempts=0, next_try_utc=NULL,"
                    " last_error=NULL, updated_at=? WHERE deadline_id=? AND offset_s=? AND channel_id=?",
                    (_iso(due), nonce, _iso(now), deadline_id, offset_s, channel_id))

    def set_status(self, r: Reminder, status: Status, now: dt.datetime, *, error: str | None = None,
                   next_try: dt.datetime | None = None, attempts: int | None = None,
                   message_id: str | None = None) -> None:
        self._exec(
            "UPDATE reminders SET status=?, last_error=?, next_try_utc=?, attempts=COALESCE(?, attempts),"
            " message_id=COALESCE(?, message_id), updated_at=? WHERE deadline_id=? AND offset_s=? AND channel_id=?",
            (status, error, _iso(next_try) if next_try else None, attempts, message_id, _iso(now),
             r.deadline_id, r.offset_s, r.channel_id))

    def cancel_unsent(self, keep: set[tuple[str, int, int]], now: dt.datetime) -> None:
        """Cancel unsent reminders no longer wanted (offsets or channel changed, deadline removed)."""
        for r in self.reminders(UNSENT):
            if (r.deadline_id, r.offset_s, r.channel_id) not in keep:
                self.set_status(r, "cancelled", now)
