"""/staff commands: deadlines, reminders, catalog, and the insights report on what members asked.

Who may run /staff is decided by the front end (Discord checks the staff roles; the console is the
operator's own shell). Every bad input is an ephemeral error naming the field and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.catalog.sources import Problem, SourceError
from bot.commands.registry import Area, Option
from bot.insights import report
from bot.reminders.deadlines import (
    InputError,
    describe_offset,
    parse_description,
    parse_link,
    parse_offsets,
    parse_title,
    parse_when,
)
from bot.reminders.planner import offsets, plan
from bot.reminders.state import Deadline, StateError
from bot.reminders.wording import message
from bot.reply import Attachment, Embed, Page, Reply, stamp
from bot.text import counted, fold, neutral, quote, shorten, slug, unique_slug

if TYPE_CHECKING:
    from bot.app import App

AREA = Area("staff")
# Every command that plans reminders is `defer=True`: Discord front ends acknowledge first and run it in
# a worker thread, since a plan reads and writes every member's reminders (thousands of rows).
AREA.group("staff", "Staff only: deadlines, reminders, catalog, insights")


ID = Option("id", "The deadline's id (autocompletes)", required=True, autocomplete="deadline")
WHEN = Option("when", "YYYY-MM-DD HH:MM, tomorrow 17:00, next friday 5pm AoE, in 3 days (a day alone: 23:59)")
TIMEZONE = Option("timezone", "Europe/London, +05:30, UTC or AoE (default UTC)")
DESCRIPTION = Option("description", "One or two lines for the reminder")
LINK = Option("link", "An http(s) link")


def no_deadline(ident: str) -> Reply:
    return Reply.text(f"No deadline with id `{quote(ident, 60)}`: see /deadline list.", ephemeral=True, kind="error")


#: How many problems a staff message lists (the log has every one).
STAFF_PROBLEMS_SHOWN = 10


def catalog_problems_text(app: App) -> str:
    """What staff read when the catalog being served is not what data/ says."""
    problems = app.catalog_problems
    lines = [f"⚠️ data/ does not build ({len(problems)} problem{'' if len(problems) == 1 else 's'}): "
             f"the bot started on the last good catalog, built {app.catalog.built_at}. "
             "Fix the files, then run /staff catalog reload."]
    return shorten("\n".join([*lines, *problem_lines(problems)]), 2000)


def problem_lines(problems: Sequence[Problem]) -> list[str]:
    """One bullet a problem, in a code span: paths and keys read as typed (no markdown escapes), no pings."""
    lines = [f"• `{shorten(str(p), 300).replace('`', 'ʼ')}`" for p in problems[:STAFF_PROBLEMS_SHOWN]]
    if len(problems) > STAFF_PROBLEMS_SHOWN:
        lines.append(f"… and {len(problems) - STAFF_PROBLEMS_SHOWN} more in the log.")
    return lines


def same_title(app: App, title: str, other_than: str | None = None) -> InputError | None:
    """Two deadlines with one title cannot be told apart in a list, a reminder or a calendar app: refused
    (compared as members type: case, accents and punctuation aside).
    """
    key = fold(title)
    taken = next((d for d in app.state.deadlines() if d.id != other_than and fold(d.title) == key), None)
    if taken is None:
        return None
    return InputError("title", f"a deadline titled “{taken.title}” already exists (id {taken.id}): change it "
                               f"with /staff deadline edit id:{taken.id}, or give this one another title")


def error(exc: InputError) -> Reply:
    return Reply.text(f"Nothing saved — {neutral(shorten(str(exc), 300))}", ephemeral=True, kind="error")


def saved(app: App, d: Deadline, verb: str, when: str | None = None) -> Reply:
    plan(app.state, app.config, app.now())
    unix = int(d.due.timestamp())
    read = f"Read “{quote(when, 60)}” as <t:{unix}:F> ({neutral(d.timezone)}). " if when else ""
    embed = Embed(title=f"Deadline {verb}: {neutral(d.title)}",
                  description=f"{read}Due {stamp(d.due)} — given as {neutral(d.timezone)}.")
    embed.add("Id", f"`{d.id}`", inline=True)
    channel = app.state.channel_id()
    offs = ", ".join(describe_offset(o) for o in offsets(app.state, app.config))
    embed.add("Reminders", f"{offs} before, in <#{channel}>" if channel else
              "No reminder channel yet: set one with /staff reminders channel.")
    return Reply.embed(embed, ephemeral=True)


@AREA.command("staff deadline add", "Add a deadline (reminders are planned for it)",
         "/staff deadline add title:Final report when:next friday 17:00 timezone:Europe/London",
         Option("title", "What is due", required=True), Option("when", WHEN.description, required=True),
         TIMEZONE, DESCRIPTION, LINK, staff=True, defer=True)
def deadline_add(app: App, title: str, when: str, timezone: str | None = None, description: str | None = None,
                 link: str | None = None) -> Reply:
    try:
        clean_title = parse_title(title)
        due, tz_label = parse_when(when, timezone, app.now())
        d = Deadline("", clean_title, due, tz_label, parse_description(description), parse_link(link))
    except InputError as exc:
        return error(exc)
    duplicate = same_title(app, clean_title)
    if duplicate is not None:
        return error(duplicate)
    ident = unique_slug(slug(clean_title)[:40].strip("-"), {x.id for x in app.state.deadlines()}, "deadline")
    d = Deadline(ident, d.title, d.due, d.timezone, d.description, d.link)
    app.state.save_deadline(d, app.now())
    return saved(app, d, "added", when)


@AREA.command("staff deadline edit", "Change a deadline: its unsent reminders move with it",
         "/staff deadline edit id:final-report when:next friday 18:00",
         ID, Option("title", "New title"), WHEN, TIMEZONE, DESCRIPTION, LINK, staff=True, defer=True)
def deadline_edit(app: App, id: str, title: str | None = None, when: str | None = None, timezone: str | None = None,
                  description: str | None = None, link: str | None = None) -> Reply:
    old = app.state.deadline(id)
    if old is None:
        return no_deadline(id)
    try:
        new_title = parse_title(title) if title is not None else old.title
        if when is not None or timezone is not None:
            if when is None:
                return error(InputError("when", "give the date and time again when changing the timezone"))
            # A new time alone keeps the deadline's own timezone: 17:00 stays 17:00 where it was set.
            due, tz_label = parse_when(when, timezone if timezone is not None else old.timezone, app.now())
        else:
            due, tz_label = old.due, old.timezone
        d = Deadline(old.id, new_title, due, tz_label,
                     parse_description(description) if description is not None else old.description,
                     parse_link(link) if link is not None else old.link)
    except InputError as exc:
        return error(exc)
    duplicate = same_title(app, new_title, other_than=old.id)
    if duplicate is not None:
        return error(duplicate)
    app.state.save_deadline(d, app.now())
    return saved(app, d, "changed", when)


@AREA.command("staff deadline list", "Every deadline with its id, state and its reminders' states",
         "/staff deadline list", staff=True, defer=True)
def deadline_list_staff(app: App) -> Reply:
    now = app.now()
    plan(app.state, app.config, now)
    deadlines = app.state.deadlines()
    if not deadlines:
        return Reply.text("No deadlines yet: add one with /staff deadline add.", ephemeral=True)
    reminders = app.state.reminders()
    embeds = []
    for d in deadlines:
        state = "passed" if d.due <= now else "upcoming"
        mine = [r for r in reminders if r.deadline_id == d.id and r.status != "cancelled"]
        channel = [f"{describe_offset(r.offset_s)}: {r.status}" + (f" ({neutral(r.last_error)})" if r.status == "failed"
                   and r.last_error else "") for r in mine if not r.is_dm]
        dms = Counter(r.status for r in mine if r.is_dm)
        e = Embed(title=neutral(d.title), description=f"`{d.id}` · **{state}** · due {stamp(d.due)} ({neutral(d.timezone)})"
                  f" · edited {counted(d.sequence, 'time')}")
        e.add("Channel reminders", " · ".join(channel) or "none planned")
        e.add("Members' DMs", ", ".join(f"{n} {status}" for status, n in sorted(dms.items())) or None)
        embeds.append(e)
    pages = [Page(counted(len(deadlines), "deadline"), embeds[i : i + 5]) for i in range(0, len(embeds), 5)]
    return Reply(pages, ephemeral=True)


@AREA.command("staff deadline remove", "Remove a deadline and its unsent reminders",
         "/staff deadline remove id:final-report", ID, staff=True, defer=True)
def deadline_remove(app: App, id: str) -> Reply:
    if not app.state.remove_deadline(id, app.now()):
        return no_deadline(id)
    plan(app.state, app.config, app.now())
    return Reply.text(f"Removed `{quote(id, 60)}`; its unsent reminders are cancelled.", ephemeral=True)


@AREA.command("staff reminders channel", "Where reminders are posted, and the one role they may ping",
         "/staff reminders channel channel:<#123456789012345678> role:<@&234567890123456789>",
         Option("channel", "The channel to post reminders in", type="channel", required=True),
         Option("role", "A role to ping in each reminder (optional)", type="role"), staff=True, defer=True)
def reminders_channel(app: App, channel: int, role: int | None = None) -> Reply:
    app.state.set_setting("channel_id", channel)
    app.state.set_setting("role_id", role)
    plan(app.state, app.config, app.now())
    ping = f", pinging <@&{role}>" if role else ", pinging no one"
    return Reply.text(f"Reminders will be posted in <#{channel}>{ping}.", ephemeral=True)


@AREA.command("staff reminders offsets", "When to remind before each deadline", "/staff reminders offsets offsets:7d, 1d, 1h",
         Option("offsets", "Durations before the deadline: 7d, 1d, 1h or 1 week, 2 days", required=True), staff=True, defer=True)
def reminders_offsets(app: App, **options: str) -> Reply:
    try:
        values = parse_offsets(options["offsets"])
    except InputError as exc:
        return error(exc)
    app.state.set_setting("offsets", values)
    plan(app.state, app.config, app.now())
    return Reply.text("Reminders: " + ", ".join(describe_offset(v) for v in values) + " before each deadline.",
                      ephemeral=True)


@AREA.command("staff reminders preview", "Every planned reminder, its state and exactly what it will say",
         "/staff reminders preview", staff=True, defer=True)
def reminders_preview(app: App) -> Reply:
    state = app.state
    warning = ""
    try:
        plan(state, app.config, app.now())
    except StateError as exc:  # still show what is planned; say that it could not be brought up to date
        warning = f"\n⚠️ The plan below could not be updated: {exc}"
    deadlines = {d.id: d for d in state.deadlines()}
    role = state.role_id()
    channel = state.channel_id()
    every = state.reminders()
    rows = [r for r in every if r.status != "cancelled" and not r.is_dm]
    dms = Counter(r.status for r in every if r.is_dm and r.status != "cancelled")
    head = f"Channel: {f'<#{channel}>' if channel else 'not set'} · role: {f'<@&{role}>' if role else 'none'}"
    if dms:
        head += " · members' DMs: " + ", ".join(f"{n} {status}" for status, n in sorted(dms.items()))
    head += warning
    if not rows:
        return Reply.text(head + "\nNo reminders planned.", ephemeral=True)
    embeds = []
    for r in rows[:50]:
        d = deadlines.get(r.deadline_id)
        status = r.status + (f" (attempt {r.attempts}, last error: {r.last_error})" if r.last_error else "")
        e = Embed(title=f"{describe_offset(r.offset_s)} before {neutral(d.title) if d else r.deadline_id}",
                  description=f"**{status}** · due {stamp(r.due)}")
        if d is not None:
            e.add("Will say", message(d, r.offset_s, role, None))
        embeds.append(e)
    pages = [Page(head, embeds[i : i + 5]) for i in range(0, len(embeds), 5)]
    return Reply(pages, ephemeral=True)


def announcement(app: App, deadline_id: str) -> str | None:
    d = app.state.deadline(deadline_id)
    if d is None:
        return None
    role = app.state.role_id()
    return message(d, 0, role, None)


@AREA.command("staff reminders announce", "Post a deadline's announcement now", "/staff reminders announce id:final-report",
         ID, staff=True, defer=True)
def reminders_announce(app: App, id: str) -> Reply:
    text = announcement(app, id)
    if text is None:
        return no_deadline(id)
    channel = app.state.channel_id()
    if not channel:
        return Reply.text("Set the channel first: /staff reminders channel.", ephemeral=True, kind="error")
    return Reply.text(f"Announcing in <#{channel}>:\n{text}", ephemeral=True)


@AREA.command("staff catalog reload", "Rebuild the catalog from data/ without a restart", "/staff catalog reload",
         staff=True, defer=True)
def catalog_reload(app: App) -> Reply:
    try:
        result = app.reload()
    except SourceError as exc:
        lines = "\n".join(problem_lines(exc.problems))
        return Reply.text(shorten(f"Reload failed; still serving the last good catalog.\n{lines}", 2000),
                          ephemeral=True, kind="error")
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    return Reply.text(f"Catalog reloaded in {result.seconds:.2f}s: {counts}.", ephemeral=True)


@AREA.command("staff catalog stats", "What the loaded catalog holds", "/staff catalog stats", staff=True)
def catalog_stats(app: App) -> Reply:
    c = app.catalog
    lines = [f"{k}: {n}" for k, n in c.counts.items()]
    lines.append(f"staff deadlines: {len(app.state.deadlines())}")
    lines.append(f"built: {c.built_at}")
    if app.catalog_problems:
        lines.append(catalog_problems_text(app))
    return Reply.text("\n".join(lines), ephemeral=True)


DEFAULT_INSIGHT_DAYS = 30


@AREA.command("staff insights", "What members asked: unanswered questions, ratings, no-match rate, latency",
              "/staff insights days:30",
              Option("days", f"How many days back (default {DEFAULT_INSIGHT_DAYS})", type="integer", min_value=1,
                     max_value=3650), staff=True, defer=True)
def staff_insights(app: App, days: int | None = None) -> Reply:
    if not app.insights.enabled:
        return Reply.text("Insights are switched off (`insights.enabled: false` in the config): nothing is "
                          "recorded.", ephemeral=True, kind="error")
    span = min(days or DEFAULT_INSIGHT_DAYS, app.config.insights.retention_days)
    now = app.now()
    app.insights.prune(now)
    since = now - dt.timedelta(days=span)
    current = app.insights.records(since=since)
    previous = app.insights.records(since=since - dt.timedelta(days=span), until=since)
    return insights_reply(report.build(current, previous, span, since), now)


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def insights_reply(r: report.Report, now: dt.datetime) -> Reply:
    """The report as one embed (each list cut to Discord's field limits) plus the raw records as CSV."""
    askers = f" from {r.distinct_askers} distinct askers" if r.distinct_askers else ""
    embed = Embed(title=f"Insights: the last {r.days} day{'s' if r.days != 1 else ''}",
                  description=f"{r.total} questions and searches{askers} since {stamp(r.since)}.")
    if r.unanswered:
        embed.add("Top unanswered (grouped by wording)", "\n".join(
            f"**{g.count}×** “{quote(g.wording, 90)}”" + (f" ({g.variants} wordings)" if g.variants > 1 else "")
            for g in r.unanswered))
    else:
        embed.add("Top unanswered", "None: every question found an answer.")
    if r.worst_rated:
        embed.add("Worst-rated answers", "\n".join(
            f"👎 {x.down} · 👍 {x.up} — “{quote(x.question, 80)}” (`/{x.command}`"
            + (f", read as `/{quote(x.intent, 40)}`" if x.intent and x.intent != x.command else "") + ")"
            for x in r.worst_rated))
    else:
        embed.add("Worst-rated answers", "No answer has a 👎 yet.")
    trend = ""
    if r.no_match_rate is not None and r.previous_no_match_rate is not None:
        points = round((r.no_match_rate - r.previous_no_match_rate) * 100)
        arrow = "↑" if points > 0 else "↓" if points < 0 else "→"
        trend = f" ({arrow} {abs(points)} points from {_rate(r.previous_no_match_rate)} the {r.days} days before)"
    embed.add("No-match rate", f"{_rate(r.no_match_rate)}{trend}", inline=False)
    embed.add("Outcomes", " · ".join(f"{name} {r.outcomes.get(name, 0)}"
                                      for name in ("answered", "asked-back", "no-match", "error")))
    if r.per_command:
        embed.add("Use per command", "\n".join(f"`/{c}` {n}" for c, n in r.per_command[:15]))
    if r.p50_ms is not None and r.p95_ms is not None:
        embed.add("Latency", f"p50 {r.p50_ms:.1f} ms · p95 {r.p95_ms:.1f} ms", inline=True)
    embed.footer = "Raw records attached as CSV · no member ids are stored"
    name = f"insights-{now:%Y%m%d}-{r.days}d.csv"
    return Reply([Page("", [embed])], ephemeral=True,
                 attachments=[Attachment(name, report.to_csv(r.records),
                                         f"{min(len(r.records), report.MAX_CSV_ROWS)} records")])
