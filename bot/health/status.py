"""`python -m bot status`: the catalog, the state database, the scheduler and the reminders, checked.

Read from the files alone (a separate process from the bot), so a cron job or a systemd timer can
alert on a non-zero exit. The scheduler proves it is alive by the heartbeat it writes each time it
wakes (with the time it means to wake next): overdue by more than `SCHEDULER_SLACK` means it is dead.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.reminders.state import State

SCHEDULER_SLACK = dt.timedelta(minutes=5)
"""How far past its planned wake the scheduler may be before it counts as not running."""
PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _size(path: Path) -> str:
    total = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    return f"{total / 1024:.0f} KB" if total < 1024 * 1024 else f"{total / 1024 / 1024:.1f} MB"


def _age(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def writable(path: Path) -> tuple[bool, str]:
    """Whether a write to the state database can be committed now, by a fresh connection.

    The file's own write bits count too: root may write anyway, but a file an operator made
    read-only (or a read-only mount) is a state the service user cannot write.
    """
    if not path.exists():
        return False, f"{path} does not exist"
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False, f"{path} is read-only"
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=rw", uri=True, timeout=PROBE_TIMEOUT_S,
                               isolation_level=None)
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS health_probe (key TEXT PRIMARY KEY, at_utc TEXT NOT NULL)")
            conn.execute("INSERT INTO health_probe VALUES ('probe', ?) ON CONFLICT(key) DO UPDATE SET"
                         " at_utc=excluded.at_utc", (dt.datetime.now(dt.UTC).isoformat(),))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return False, f"{path} cannot be written: {exc}"
    return True, f"{path} writable"


def catalog_check(config: Config) -> Check:
    db = config.catalog_db
    if not db.exists():
        return Check("catalog", False, f"{db} missing: run `python -m bot catalog build`")
    try:
        conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
        counts = json.loads(meta["counts"])
    except (sqlite3.Error, KeyError, ValueError) as exc:
        return Check("catalog", False, f"{db} unreadable: {exc}")
    return Check("catalog", True, f"built {meta['built_at']}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


def backups(config: Config, now: dt.datetime) -> Check | None:
    """The newest backup of the state file, if there are any (None: no backup scheme in use)."""
    state = config.state_db
    found = [p for p in (*state.parent.glob(f"{state.stem}*.bak*"), *(state.parent / "backups").glob("*"))
             if p.is_file()]
    if not found:
        return None
    newest = max(found, key=lambda p: p.stat().st_mtime)
    age = now - dt.datetime.fromtimestamp(newest.stat().st_mtime, dt.UTC)
    return Check("backups", True, f"newest {_age(age)} old ({newest.name}, {len(found)} in all)")


def status(config: Config, now: dt.datetime) -> list[Check]:
    """Every check, in the order an operator reads them."""
    out = [catalog_check(config)]
    ok, detail = writable(config.state_db)
    if config.state_db.exists():
        detail += f", {_size(config.state_db)}"
    out.append(Check("state", ok, detail))
    backup = backups(config, now)
    if backup is not None:
        out.append(backup)
    if not config.state_db.exists():
        return out
    state = State(config.state_db)
    try:
        out.append(scheduler_check(state, now))
        reminders = state.reminders()
    finally:
        state.close()
    # A member's DM refused (their DMs closed) is theirs to fix and /deadline mine tells them: it is
    # counted, but only channel reminders that failed fail the check.
    channel = [r for r in reminders if not r.is_dm]
    counts = {s: sum(1 for r in channel if r.status == s) for s in ("planned", "sending", "failed")}
    upcoming = [r.due for r in channel if r.status == "planned"]
    line = ", ".join(f"{n} {s}" for s, n in counts.items())
    if upcoming:
        line += f"; next due {min(upcoming):%Y-%m-%d %H:%M} UTC"
    dms = {s: sum(1 for r in reminders if r.is_dm and r.status == s) for s in ("planned", "sent", "failed")}
    if any(dms.values()):
        line += "; members' DMs: " + ", ".join(f"{n} {s}" for s, n in dms.items())
    failed = "" if not counts["failed"] else " (see /staff reminders preview)"
    out.append(Check("reminders", counts["failed"] == 0, line + failed))
    return out


def scheduler_check(state: State, now: dt.datetime) -> Check:
    beat = state.scheduler_beat()
    if beat is None:
        return Check("scheduler", False, "has never run (is the bot started?)")
    woke, planned = beat
    if now > planned + SCHEDULER_SLACK:
        return Check("scheduler", False, f"not running: last woke {_age(now - woke)} ago, was due to wake"
                                         f" {_age(now - planned)} ago")
    return Check("scheduler", True, f"alive: woke {_age(now - woke)} ago, next wake {planned:%Y-%m-%d %H:%M} UTC")


def render(checks: list[Check]) -> str:
    return "\n".join(f"{'OK' if c.ok else 'FAIL':<5} {c.name:<10} {c.detail}" for c in checks)


HEARTBEAT_STALE_S = 120.0
"""Discord asks for a heartbeat about every 41 s: no acknowledgement for this long means a dead link."""


@dataclass(frozen=True)
class Live:
    """What only the running bot knows, for GET /healthz."""

    gateway_connected: bool
    heartbeat_age_s: float | None  # since the last heartbeat acknowledgement; None: no keep-alive to judge
    scheduler_alive: bool


def live_problems(live: Live, state_db: Path) -> list[str]:
    """Why the running bot is unhealthy (empty: healthy)."""
    problems = []
    if not live.gateway_connected:
        problems.append("gateway not connected")
    elif live.heartbeat_age_s is not None and live.heartbeat_age_s > HEARTBEAT_STALE_S:
        problems.append(f"no gateway heartbeat for {live.heartbeat_age_s:.0f} s")
    if not live.scheduler_alive:
        problems.append("reminder scheduler not running")
    ok, detail = writable(state_db)
    if not ok:
        problems.append(f"state database not writable: {detail}")
    return problems
