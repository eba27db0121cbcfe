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
    updated_at TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0  -- iCalendar SEQUENCE: raised on every edit
);
-- Removed deadlines, kept so the calendar feed can tell subscribed calendar apps to cancel them.
CREATE TABLE IF NOT EXISTS removed_deadlines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    due_utc TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT NOT NULL,
    sequence INTEGER NOT NULL
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
SettingKey = Literal["channel_id", "role_id", "offsets", "scheduler_beat"]
"""The reminder settings staff can change (kept as JSON in the settings table)."""


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    due: dt.datetime  # aware, UTC
    timezone: str
    description: str = ""
    link: str | None = None
    sequence: int = 0  # raised on every edit (the calendar feed's SEQUENCE)
    created: dt.datetime | None = None
    updated: dt.datetime | None = None  # the last edit (or removal, for a removed one)


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


def _deadline(r: sqlite3.Row) -> Deadline:
    return Deadline(r["id"], r["title"], dt.datetime.fromisoformat(r["due_utc"]), r["timezone"], r["description"],
                    r["link"], r["sequence"], dt.datetime.fromisoformat(r["created_at"]),
                    dt.datetime.fromisoformat(r["updated_at"]))


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
            self._migrate()

    def _migrate(self) -> None:
        """Columns added after the first release: a state file from an older version gains them."""
        columns = {r["name"] for r in self.conn.execute("PRAGMA table_info(deadlines)")}
        if "sequence" not in columns:
            self.conn.execute("ALTER TABLE deadlines ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0")

    def close(self) -> None:
        self.conn.close()

    def _exec(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    # -- deadlines ----------------------------------------------------------------------------
    def deadlines(self) -> list[Deadline]:
        rows = self._exec("SELECT * FROM deadlines ORDER BY due_utc, title").fetchall()
        return [_deadline(r) for r in rows]

    def deadline(self, deadline_id: str) -> Deadline | None:
        row = self._exec("SELECT * FROM deadlines WHERE id=?", (deadline_id,)).fetchone()
        return _deadline(row) if row else None

    def removed_deadlines(self) -> list[Deadline]:
        """Deadlines staff removed (their `updated` is the removal), newest removal last."""
        rows = self._exec("SELECT * FROM removed_deadlines ORDER BY removed_at, id").fetchall()
        return [Deadline(r["id"], r["title"], dt.datetime.fromisoformat(r["due_utc"]), r["timezone"],
                         sequence=r["sequence"], created=dt.datetime.fromisoformat(r["created_at"]),
                         updated=dt.datetime.fromisoformat(r["removed_at"])) for r in rows]

    def save_deadline(self, d: Deadline, now: dt.datetime, by: str = "") -> Deadline:
        """Add or change a deadline; an actual change raises its sequence. Returns it as stored.

        An id that was removed before continues from the removed one's sequence, so a calendar app
        that saw it cancelled takes the new version.
        """
        with self.lock:
            old = self.conn.execute("SELECT * FROM deadlines WHERE id=?", (d.id,)).fetchone()
            if old is None:
                gone = self.conn.execute("SELECT sequence FROM removed_deadlines WHERE id=?", (d.id,)).fetchone()
                sequence = gone["sequence"] + 1 if gone else 0
                self.conn.execute(
                    "INSERT INTO deadlines (id, title, due_utc, timezone, description, link, created_by, created_at,"
                    " updated_at, sequence) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (d.id, d.title, _iso(d.due), d.timezone, d.description, d.link, by, _iso(now), _iso(now), sequence))
                self.conn.execute("DELETE FROM removed_deadlines WHERE id=?", (d.id,))
            elif (old["title"], old["due_utc"], old["timezone"], old["description"], old["link"]) != \
                    (d.title, _iso(d.due), d.timezone, d.description, d.link):
                self.conn.execute(
                    "UPDATE deadlines SET title=?, due_utc=?, timezone=?, description=?, link=?, updated_at=?,"
                    " sequence=sequence+1 WHERE id=?",
                    (d.title, _iso(d.due), d.timezone, d.description, d.link, _iso(now), d.id))
            stored = self.deadline(d.id)
        assert stored is not None
        return stored

    def remove_deadline(self, deadline_id: str, now: dt.datetime) -> bool:
        with self.lock:
            old = self.conn.execute("SELECT * FROM deadlines WHERE id=?", (deadline_id,)).fetchone()
            if old is None:
                return False
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.execute(
                    "INSERT OR REPLACE INTO removed_deadlines (id, title, due_utc, timezone, created_at, removed_at,"
                    " sequence) VALUES (?,?,?,?,?,?,?)", (old["id"], old["title"], old["due_utc"], old["timezone"],
                                                         old["created_at"], _iso(now), old["sequence"] + 1))
                self.conn.execute("DELETE FROM deadlines WHERE id=?", (deadline_id,))
                self.conn.execute("UPDATE reminders SET status='cancelled', updated_at=? WHERE deadline_id=? AND status"
                                  " IN ('planned','sending')", (_iso(now), deadline_id))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        return True

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

    def scheduler_beat(self) -> tuple[dt.datetime, dt.datetime] | None:
        """When the scheduler last woke and when it means to wake next (for `python -m bot status`)."""
        value = self.setting("scheduler_beat")
        if not isinstance(value, dict) or not {"at", "next"} <= value.keys():
            return None
        return dt.datetime.fromisoformat(str(value["at"])), dt.datetime.fromisoformat(str(value["next"]))

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
