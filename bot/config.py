"""Typed configuration, validated at start-up.

A typo in config.yaml must stop the bot with file, line and key, not be ignored until the feature it
configures misbehaves in front of members. The token never lives in the YAML: it comes from the
DISCORD_TOKEN environment variable or a file named here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.catalog import schema
from bot.catalog.schema import F, list_of, opt, record
from bot.catalog.sources import Problem, SourceError, load
from bot.durations import parse_duration
from bot.reminders.backup import BackupPolicy

_SNOWFLAKE = F("int", minimum=1)

SPEC = record(
    log_level=opt(F("enum", choices=("DEBUG", "INFO", "WARNING", "ERROR"))),
    discord=opt(record(
        token_file=opt(F("str")),
        api_base_url=opt(F("str")),
        gateway_url=opt(F("str")),
        guild_ids=opt(list_of(_SNOWFLAKE)),
        sync_on_start=opt(F("bool")),
        staff_role_ids=opt(list_of(_SNOWFLAKE)),
        ping_on_reply=opt(F("bool")),
    )),
    catalog=opt(record(data_dir=opt(F("str")), database=opt(F("str")))),
    state=opt(record(database=opt(F("str")), backup=opt(record(
        every=opt(F("str")), keep=opt(F("int", minimum=1)), directory=opt(F("str")))))),
    reminders=opt(record(offsets=opt(list_of(F("str"), 1)), grace=opt(F("str")),
                         max_attempts=opt(F("int", minimum=1)))),
    ask=opt(record(cooldown_seconds=opt(F("int", minimum=0)))),
    insights=opt(record(enabled=opt(F("bool")), retention_days=opt(F("int", minimum=1)),
                        hash_askers=opt(F("bool")))),
    logging=opt(record(staff_channel_id=opt(_SNOWFLAKE), file=opt(F("str")),
                       file_max_bytes=opt(F("int", minimum=1024)), file_backups=opt(F("int", minimum=0)))),
    web=opt(record(listen=opt(F("str")), public_url=opt(F("str")))),
)
_LISTEN = re.compile(r"^(?P<host>\[[0-9a-fA-F:]+\]|[\w.-]+):(?P<port>\d{1,5})$")
_PUBLIC_URL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")


@dataclass(frozen=True)
class DiscordConfig:
    token_file: Path | None = None
    api_base_url: str | None = None
    gateway_url: str | None = None
    guild_ids: tuple[int, ...] = ()
    sync_on_start: bool = False
    staff_role_ids: tuple[int, ...] = ()
    ping_on_reply: bool = False


@dataclass(frozen=True)
class InsightsConfig:
    """What members ask, kept in the state database (never the catalog) for `retention_days`."""

    enabled: bool = True
    retention_days: int = 90
    hash_askers: bool = False  # keep a salted one-way hash of the asker, to count distinct askers


@dataclass(frozen=True)
class LoggingConfig:
    staff_channel_id: int | None = None  # unexpected errors are posted here (never to members)
    file: Path | None = None  # rotating log file, for hosts without journald
    file_max_bytes: int = 10 * 1024 * 1024
    file_backups: int = 5


@dataclass(frozen=True)
class WebConfig:
    """The bot's HTTP server (the calendar feed and whatever else registers routes): off unless
    `listen` is set.
    """

    listen: str | None = None  # "127.0.0.1:8080"; port 0 picks a free one (tests)
    public_url: str | None = None  # "https://bot.example.org": how members reach it (a reverse proxy)

    @property
    def host(self) -> str:
        m = _LISTEN.match(self.listen or "")
        return m.group("host").strip("[]") if m else "127.0.0.1"

    @property
    def port(self) -> int:
        m = _LISTEN.match(self.listen or "")
        return int(m.group("port")) if m else 0


@dataclass(frozen=True)
class BackupConfig:
    """The automatic backup of the state database (`state.backup`); the directory defaults beside it."""

    every: int | None = 86400  # seconds between copies; None: off
    keep: int = 7
    directory: Path | None = None  # None: <state database's directory>/backups


@dataclass(frozen=True)
class Config:
    root: Path = field(default_factory=Path.cwd)
    log_level: str = "INFO"
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    data_dir: Path = Path("data")
    catalog_db: Path = Path("var/catalog.db")
    state_db: Path = Path("var/state.db")
    state_backup: BackupConfig = field(default_factory=BackupConfig)
    reminder_offsets: tuple[int, ...] = (7 * 86400, 86400, 3600)
    reminder_grace: int = 6 * 3600
    reminder_max_attempts: int = 5
    ask_cooldown: int = 5
    insights: InsightsConfig = field(default_factory=InsightsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    web: WebConfig = field(default_factory=WebConfig)
    source: str = "(defaults)"

    def backup_policy(self, state_db: Path | None = None) -> BackupPolicy:
        """The automatic backup of *state_db* (default: the configured one); copies go beside it by default."""
        b = self.state_backup
        return BackupPolicy(b.directory or (state_db or self.state_db).parent / "backups",
                            dt.timedelta(seconds=b.every) if b.every else None, b.keep)

    def token(self) -> str | None:
        """DISCORD_TOKEN wins over the token file; never logged, never in the YAML."""
        env = os.environ.get("DISCORD_TOKEN", "").strip()
        if env:
            return env
        if self.discord.token_file:
            path = self.discord.token_file
            try:
                return (path if path.is_absolute() else self.root / path).read_text().strip() or None
            except OSError as exc:
                raise SourceError([Problem(self.source, None, "discord.token_file", f"cannot read {path}: {exc}")]) \
                    from None
        return None


DEFAULTS = Config()
"""The one set of defaults: a key missing from config.yaml takes its value from here."""


def load_config(path: Path | None = None, *, environ: dict[str, str] | None = None) -> Config:
    """Read config.yaml if present (defaults otherwise), validate it, apply environment overrides."""
    env = os.environ if environ is None else environ
    named = path is not None or "BOT_CONFIG" in env  # a file someone named must exist
    path = path or Path(env.get("BOT_CONFIG", "config.yaml"))
    data: dict[str, Any] = {}
    source = "(defaults)"
    if path.exists():
        doc = load(path)
        source = str(path)
        problems = schema.check(doc, SPEC) if doc.data is not None else []
        if doc.data is not None and not problems:
            data = doc.data
            rem = data.get("reminders") or {}
            for i, raw in enumerate(rem.get("offsets") or []):
                if parse_duration(raw) is None:
                    problems.append(doc.problem(("reminders", "offsets", i), f"'{raw}' is not a positive duration like 90s, 1h, 7d"))
            if "grace" in rem and parse_duration(rem["grace"]) is None:
                problems.append(doc.problem(("reminders", "grace"), f"'{rem['grace']}' is not a duration like 6h"))
            every = ((data.get("state") or {}).get("backup") or {}).get("every")
            if every is not None and every != "off" and parse_duration(every) is None:
                problems.append(doc.problem(("state", "backup", "every"),
                                            f"'{every}' is not a duration like 1d or 12h (or off)"))
            web = data.get("web") or {}
            listen = web.get("listen")
            if listen is not None and (not _LISTEN.match(listen) or int(listen.rsplit(":", 1)[1]) > 65535):
                problems.append(doc.problem(("web", "listen"), f"'{listen}' is not host:port, like 127.0.0.1:8080"))
            url = web.get("public_url")
            if url is not None and not _PUBLIC_URL.match(url):
                problems.append(doc.problem(("web", "public_url"),
                                            f"'{url}' is not an http(s) address, like https://bot.example.org"))
        if problems:
            raise SourceError(problems)
    elif named:
        raise SourceError([Problem(str(path), None, "", "config file not found")])

    d = data.get("discord") or {}
    cat = data.get("catalog") or {}
    rem = data.get("reminders") or {}
    ins = data.get("insights") or {}
    logs = data.get("logging") or {}
    st = data.get("state") or {}
    bk = st.get("backup") or {}
    root = path.resolve().parent if path.exists() else Path.cwd()

    def at(p: str | Path) -> Path:
        return Path(p) if Path(p).is_absolute() else root / p

    return Config(
        root=root,
        log_level=data.get("log_level", DEFAULTS.log_level),
        discord=DiscordConfig(
            token_file=Path(d["token_file"]) if d.get("token_file") else None,
            api_base_url=env.get("DISCORD_API_BASE_URL") or d.get("api_base_url"),
            gateway_url=env.get("DISCORD_GATEWAY_URL") or d.get("gateway_url"),
            guild_ids=tuple(d.get("guild_ids") or ()),
            sync_on_start=bool(d.get("sync_on_start", False)),
            staff_role_ids=tuple(d.get("staff_role_ids") or ()),
            ping_on_reply=bool(d.get("ping_on_reply", False)),
        ),
        data_dir=at(cat.get("data_dir", DEFAULTS.data_dir)),
        catalog_db=at(cat.get("database", DEFAULTS.catalog_db)),
        state_db=at(st.get("database", DEFAULTS.state_db)),
        state_backup=BackupConfig(
            every=(None if bk["every"] == "off" else parse_duration(bk["every"])) if "every" in bk
            else DEFAULTS.state_backup.every,
            keep=int(bk.get("keep", DEFAULTS.state_backup.keep)),
            directory=at(bk["directory"]) if bk.get("directory") else None),
        reminder_offsets=(tuple(parse_duration(o) or 0 for o in rem["offsets"]) if "offsets" in rem
                          else DEFAULTS.reminder_offsets),
        reminder_grace=(parse_duration(rem["grace"]) or DEFAULTS.reminder_grace) if "grace" in rem else DEFAULTS.reminder_grace,
        reminder_max_attempts=int(rem.get("max_attempts", DEFAULTS.reminder_max_attempts)),
        ask_cooldown=int((data.get("ask") or {}).get("cooldown_seconds", DEFAULTS.ask_cooldown)),
        insights=InsightsConfig(enabled=bool(ins.get("enabled", DEFAULTS.insights.enabled)),
                                retention_days=int(ins.get("retention_days", DEFAULTS.insights.retention_days)),
                                hash_askers=bool(ins.get("hash_askers", DEFAULTS.insights.hash_askers))),
        logging=LoggingConfig(staff_channel_id=logs.get("staff_channel_id"),
                              file=at(logs["file"]) if logs.get("file") else None,
                              file_max_bytes=int(logs.get("file_max_bytes", DEFAULTS.logging.file_max_bytes)),
                              file_backups=int(logs.get("file_backups", DEFAULTS.logging.file_backups))),
        web=WebConfig(listen=(data.get("web") or {}).get("listen"), public_url=(data.get("web") or {}).get("public_url")),
        source=source,
    )
