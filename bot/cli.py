"""`python -m bot …`: a thin command line over the same core the Discord bot uses."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from bot.app import App, usable_catalog
from bot.catalog.build import build, check
from bot.catalog.sources import SourceError
from bot.commands.registry import UsageError
from bot.config import Config, load_config
from bot.reminders.state import StateDamagedError, StateError
from bot.reply import Reply, render

log = logging.getLogger("bot")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_file(cfg: Config) -> None:
    """`logging.file`: also write the log to a rotating file, for hosts without journald."""
    if cfg.logging.file is None:
        return
    cfg.logging.file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(cfg.logging.file, maxBytes=cfg.logging.file_max_bytes,
                                                   backupCount=cfg.logging.file_backups, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.getLogger().addHandler(handler)


def reply_to(app: App, text: str) -> Reply:
    """What the bot replies to *text*: a slash command line, or a plain question."""
    text = text.strip()
    if text.startswith("/"):
        try:
            path, options = app.commands.parse(text)
        except UsageError as exc:
            return Reply.text(str(exc), ephemeral=True, kind="error")
        return app.commands.run(app, path, options)
    return app.commands.run(app, "ask", {"question": text})


def _print_reply(app: App, reply: Reply, as_json: bool, page: int | None) -> None:
    if as_json:
        print(json.dumps(reply.payload(page - 1 if page else 0), ensure_ascii=False, indent=2))
    else:
        print(render(reply, app.now(), page - 1 if page else None))  # --page counts from 1, as the reply shows


def console(app: App) -> int:
    """Interactive prompt with history: type a command line or a question; /help lists commands."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - line editing and history where available
    print("Ask like on Discord: /paper search query:refusal, /help, or a plain question. Ctrl-D quits.")
    while True:
        try:
            line = input("» ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip():
            print(render(reply_to(app, line), app.now()))
            print()


def cmd_ask(cfg: Config, args: argparse.Namespace) -> int:
    app = App(cfg)
    try:
        if not args.text:
            return console(app)
        reply = reply_to(app, " ".join(args.text))
        if args.page and args.page > len(reply.pages):
            # Not the last page instead: a script asking for page 9 must not think it got it.
            print(f"--page {args.page}: this reply has {len(reply.pages)} page{'s' * (len(reply.pages) != 1)}",
                  file=sys.stderr)
            return 2
        _print_reply(app, reply, args.json, args.page)
        return 0
    finally:
        app.close()


def cmd_run(cfg: Config, args: argparse.Namespace) -> int:
    token = cfg.token()
    if not token:
        print("No DISCORD_TOKEN set (and no discord.token_file in the config): "
              "starting the interactive console instead.", file=sys.stderr)
        args.text = []
        return cmd_ask(cfg, args)
    from bot.discord.client import run_bot

    return run_bot(cfg, token)


def cmd_sync(cfg: Config, args: argparse.Namespace) -> int:
    token = cfg.token()
    if not token:
        print("sync needs DISCORD_TOKEN (or discord.token_file in the config).", file=sys.stderr)
        return 2
    from bot.discord.client import sync_commands

    return sync_commands(cfg, token, args.guild)


def cmd_catalog(cfg: Config, args: argparse.Namespace) -> int:
    if args.action == "check":
        docs = check(cfg.data_dir)
        counts = {k: sum(len(v) for v in d.data.values()) for k, d in docs.items()}
        print(f"catalog OK: {', '.join(f'{k}.yaml {n} entries' for k, n in counts.items())}")
        return 0
    if args.action == "build":
        try:
            result = build(cfg.data_dir, cfg.catalog_db)
        except SourceError as exc:
            if not (args.keep_last_good and usable_catalog(cfg.catalog_db)):
                raise
            print("error:\n" + "\n".join(f"  {p}" for p in exc.problems), file=sys.stderr)
            print(f"kept the last good catalog {cfg.catalog_db}: the bot starts on it; fix the problems "
                  "above, then run /staff catalog reload (or this command again).", file=sys.stderr)
            return 0
        unchanged = f" (unchanged, not re-read: {', '.join(result.reused)})" if result.reused else ""
        print(f"built {result.path} in {result.seconds:.2f}s: "
              + ", ".join(f"{n} {k}" for k, n in result.counts.items()) + unchanged)
        return 0
    if args.action == "stats":
        app = App(cfg)
        try:
            c = app.catalog
            print(f"catalog {cfg.catalog_db} built {c.built_at}")
            for key, n in c.counts.items():
                print(f"  {key:10} {n}")
            print(f"  {'alumni':10} {len(c.alumni_counts)}")
            print(f"  staff deadlines {len(app.state.deadlines())}")
        finally:
            app.close()
        return 0
    from bot.catalog.importer import import_file

    target = Path(args.into) if args.into else cfg.data_dir / "papers.yaml"
    report = import_file(Path(args.file), target)
    print(f"{target}:")
    for line in report.lines():
        print(f"  {line}")
    return 0


def cmd_insights(cfg: Config, args: argparse.Namespace) -> int:
    """The /staff insights report on the console; --csv writes the raw records to a file."""
    app = App(cfg)
    try:
        reply = app.commands.run(app, "staff insights", {"days": args.days} if args.days else {})
        print(render(reply, app.now()))
        if args.csv and reply.attachments:
            Path(args.csv).write_bytes(reply.attachments[0].data)
            print(f"wrote {args.csv}")
        return 1 if reply.kind == "error" else 0
    finally:
        app.close()


def cmd_status(cfg: Config, args: argparse.Namespace) -> int:
    """Health from the files alone; non-zero exit when anything is wrong (for cron or a systemd timer)."""
    from bot.health.status import render, status

    checks = status(cfg, dt.datetime.now(dt.UTC))
    print(render(checks))
    return 0 if all(c.ok for c in checks) else 1


EXIT_STATE_DAMAGED = 3
"""The state database is damaged: systemd must not restart into it (RestartPreventExitStatus=3)."""
EXIT_STATE_UNUSABLE = 4
"""The state database cannot be opened or written (read-only, full or failing disk, deleted or replaced)."""


def cmd_state(cfg: Config, args: argparse.Namespace) -> int:
    """Back the state database up or restore it, with SQLite's online backup API (safe while the bot runs)."""
    from bot.reminders import backup

    policy = cfg.backup_policy()
    try:
        if args.action == "backup":
            made = backup.backup(cfg.state_db, Path(args.file) if args.file else None, directory=policy.directory)
            print(f"backed up {cfg.state_db} to {made}")
            return 0
        done = backup.restore(Path(args.file), cfg.state_db, directory=policy.directory)
    except backup.BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"restored {cfg.state_db} from {args.file}")
    if done.safety_copy:
        print(f"  what was there before is kept in {done.safety_copy}")
    if done.moved_aside:
        print(f"  the damaged file was moved to {done.moved_aside}; restart the bot if it is running")
    return 0


def _page_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a page number (1 is the first page)")
    return int(text)


CONFIG_HELP = "config file (default: $BOT_CONFIG, else config.yaml; a file named here must exist)"
#: Every command's --help ends with an example and the environment variables it reads.
EXAMPLES = {
    "": "python -m bot ask '/paper search query:refusal direction'",
    "run": "DISCORD_TOKEN=… python -m bot run --config /etc/fellowship-bot/config.yaml",
    "ask": "python -m bot ask --page 2 '/paper search query:interpretability'",
    "catalog": "python -m bot catalog check",
    "catalog build": "python -m bot catalog build --keep-last-good",
    "catalog check": "python -m bot catalog check --config config.yaml",
    "catalog stats": "python -m bot catalog stats",
    "catalog import-papers": "python -m bot catalog import-papers data/pages/research.txt",
    "insights": "python -m bot insights --days 7 --csv insights.csv",
    "status": "python -m bot status || echo 'something is wrong'",
    "state": "python -m bot state backup",
    "state backup": "python -m bot state backup var/backups/before-upgrade.db",
    "state restore": "python -m bot state restore var/backups/state-20270110T000000Z.db",
    "sync": "DISCORD_TOKEN=… python -m bot sync --guild 123456789012345678",
}
ENVIRONMENT = {
    "run": "BOT_CONFIG, DISCORD_TOKEN, DISCORD_API_BASE_URL, DISCORD_GATEWAY_URL",
    "sync": "BOT_CONFIG, DISCORD_TOKEN, DISCORD_API_BASE_URL",
    "": "BOT_CONFIG; run and sync also DISCORD_TOKEN, DISCORD_API_BASE_URL (run: DISCORD_GATEWAY_URL)",
}


def _finish(p: argparse.ArgumentParser, path: str = "") -> None:
    """Give *p* and every sub-command an example, its environment variables and --config (anywhere)."""
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    env = ENVIRONMENT.get(path) or ENVIRONMENT.get(path.split(" ")[0]) or "BOT_CONFIG"
    p.epilog = f"example:\n  {EXAMPLES.get(path, EXAMPLES[''])}\n\nenvironment: {env}"
    if path:  # the top level has its own; SUPPRESS keeps a --config given before the sub-command
        p.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                _finish(child, f"{path} {name}".strip())


def parser() -> argparse.ArgumentParser:
    p = _build_parser()
    _finish(p)
    return p


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Research fellowship Discord bot.")
    p.add_argument("--config", help=CONFIG_HELP)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="start the bot (the console when no token is set)",
                         description="Start the Discord bot. Without DISCORD_TOKEN, start the interactive console.")
    run.set_defaults(func=cmd_run, json=False, page=None)

    ask = sub.add_parser("ask", help="print the bot's reply to a command line or a question",
                         description="Print exactly what the bot would send. With no text: an interactive prompt.")
    ask.add_argument("text", nargs="*", help="'/paper search query:…' or a plain question")
    ask.add_argument("--json", action="store_true", help="print the Discord message payload instead of text")
    ask.add_argument("--page", type=_page_number, help="only this page (1 is the first) of a paginated reply")
    ask.set_defaults(func=cmd_ask)

    cat = sub.add_parser("catalog", help="build, check, inspect or import the catalog",
                         description="Work with the catalog sources in data/ and the built database.")
    cat_sub = cat.add_subparsers(dest="action", required=True, metavar="ACTION")
    cat_build = cat_sub.add_parser(
        "build", help="validate data/*.yaml and build the database (atomically)",
        description="Validate data/*.yaml and build the catalog database; nothing is written on error.")
    cat_build.add_argument("--keep-last-good", action="store_true",
                           help="on a data error, report it and exit 0 when a usable catalog is already built "
                                "(a service's pre-start: a bad edit must not stop the bot)")
    cat_sub.add_parser("check", help="validate data/*.yaml without building",
                       description="Validate data/*.yaml: unknown keys, missing fields, bad dates, duplicates, references.")
    cat_sub.add_parser("stats", help="counts of the built catalog",
                       description="Print the counts of the built catalog and the bot's state.")
    imp = cat_sub.add_parser("import-papers", help="merge a research-page text file into papers.yaml",
                             description="Parse a research-page text file and merge it into papers.yaml: adds papers "
                                         "and people, updates citations, keeps hand edits and reports every change.")
    imp.add_argument("file", help="the research page as text (the snapshot is data/pages/research.txt)")
    imp.add_argument("--into", help="papers.yaml to update (default: data/papers.yaml)")
    cat.set_defaults(func=cmd_catalog)

    ins = sub.add_parser("insights", help="what members asked: unanswered questions, ratings, latency",
                         description="The /staff insights report: top unanswered questions grouped by wording, "
                                     "worst-rated answers, no-match rate and trend, use per command, p50/p95 latency.")
    ins.add_argument("--days", type=int, help="how many days back (default 30)")
    ins.add_argument("--csv", help="also write the raw records to this CSV file")
    ins.set_defaults(func=cmd_insights)

    st = sub.add_parser("status", help="health: catalog, state database, backups, scheduler, reminders",
                        description="Check the catalog, the state database (writable, size), backups, the reminder "
                                    "scheduler's heartbeat and the reminders; exit 1 when something is wrong.")
    st.set_defaults(func=cmd_status)

    state = sub.add_parser("state", help="back up or restore the state database (deadlines, reminders)",
                           description="Back up or restore the bot's state database with SQLite's online backup "
                                       "API: safe while the bot runs.")
    state_sub = state.add_subparsers(dest="action", required=True, metavar="ACTION")
    state_backup = state_sub.add_parser("backup", help="copy the state database to FILE (default: a dated file "
                                                       "in the backup directory)")
    state_backup.add_argument("file", nargs="?", help="where to write the copy")
    state_restore = state_sub.add_parser("restore", help="replace the state database by the backup FILE",
                                         description="Check FILE, keep a copy of the current state, then write "
                                                     "FILE's content into the state database.")
    state_restore.add_argument("file", help="a backup made by `state backup` or the automatic backup")
    state.set_defaults(func=cmd_state)

    sync = sub.add_parser("sync", help="register the slash commands with Discord",
                          description="Register (sync) the slash commands, globally or for one guild.")
    sync.add_argument("--guild", type=int, help="sync to this guild only (instant; global sync can take an hour)")
    sync.set_defaults(func=cmd_sync)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        cfg = load_config(Path(args.config) if args.config else None)
        logging.basicConfig(level=cfg.log_level, format=LOG_FORMAT)
        log_to_file(cfg)
        code: int = args.func(cfg, args)
        return code
    except SourceError as exc:
        print("error:\n" + "\n".join(f"  {p}" for p in exc.problems), file=sys.stderr)
        return 2
    except StateDamagedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STATE_DAMAGED
    except StateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_STATE_UNUSABLE
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
