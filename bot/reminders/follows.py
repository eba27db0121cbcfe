"""Members who follow a deadline ("Remind me"): what they see when they follow, stop, pick offsets,
list theirs (/deadline mine) and ask the bot to forget them (/deadline forget-me).

The DMs themselves are ordinary reminders (planned → sending → sent, one per member, deadline and
offset) planned by `bot.reminders.planner` and sent by the scheduler. A follow keeps only the
member's id, the deadline id, the offsets they picked and when: nothing else about members is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.reminders.deadlines import describe_offset
from bot.reminders.planner import member_offsets, offsets, plan
from bot.reply import Control, Embed, Reply, stamp
from bot.text import neutral

if TYPE_CHECKING:
    from bot.app import App
    from bot.reminders.state import Reminder

FOLLOW_PREFIX = "follow:"
UNFOLLOW_PREFIX = "unfollow:"
MINE_SHOWN = 10  # /deadline mine lists this many follows, each with its Stop button (2 rows of 5)
NOT_IN_DISCORD = "Nothing to forget: this is for a Discord member about themselves, and on the console nobody is asking."
STATUS_WORDS = {"planned": "planned", "sending": "sending", "sent": "sent", "missed": "missed (the bot was offline)",
                "failed": "not delivered", "cancelled": "cancelled"}


def follow_control(deadline_id: str, title: str) -> Control:
    return Control(f"🔔 Remind me: {title}", FOLLOW_PREFIX + deadline_id)


def _offsets_text(values: list[int]) -> str:
    return ", ".join(describe_offset(v) for v in values)


def follow(app: App, member_id: int, deadline_id: str) -> Reply:
    d = app.state.deadline(deadline_id)
    if d is None:
        return Reply.text("That deadline no longer exists: see /deadline list.", ephemeral=True, kind="error")
    now = app.now()
    if d.due <= now:
        return Reply.text(f"**{neutral(d.title)}** has already passed.", ephemeral=True, kind="error")
    app.state.follow(member_id, deadline_id, None, now)
    plan(app.state, app.config, now)
    staff = offsets(app.state, app.config)
    ahead = [o for o in staff if d.due.timestamp() - o > now.timestamp()]
    when = (f"{_offsets_text(ahead)} before it" if ahead else "no more reminders: every reminder time has passed")
    more = " Pick fewer below if you like." if len(staff) > 1 else ""
    return Reply.text(f"🔔 You will get a direct message before **{neutral(d.title)}** (due {stamp(d.due)}): "
                      f"{when}.{more} Stop any time with /deadline mine.", ephemeral=True)


def pick_offsets(app: App, member_id: int, deadline_id: str, chosen: list[int]) -> Reply:
    d = app.state.deadline(deadline_id)
    staff = offsets(app.state, app.config)
    picked = sorted({c for c in chosen if c in staff}, reverse=True)
    if d is None or not picked:
        return Reply.text("Nothing changed: that deadline or those times no longer exist.", ephemeral=True,
                          kind="error")
    now = app.now()
    app.state.follow(member_id, deadline_id, picked if picked != staff else None, now)
    plan(app.state, app.config, now)
    return Reply.text(f"🔔 Reminders for **{neutral(d.title)}**: {_offsets_text(picked)} before it.", ephemeral=True)


def unfollow(app: App, member_id: int, deadline_id: str) -> Reply:
    d = app.state.deadline(deadline_id)
    name = f"**{neutral(d.title)}**" if d else f"`{deadline_id}`"
    if not app.state.unfollow(member_id, deadline_id, app.now()):
        return Reply.text(f"You were not following {name}.", ephemeral=True)
    plan(app.state, app.config, app.now())
    return Reply.text(f"Stopped: no more reminders for {name}.", ephemeral=True)


def _line(r: Reminder) -> str:
    line = f"{describe_offset(r.offset_s)} before: {STATUS_WORDS[r.status]}"
    if r.status == "planned":
        line += f" ({stamp(r.due)})"
    if r.status == "failed" and r.last_error:
        line += f" — {neutral(r.last_error)}"
    return line


def followers(app: App) -> Reply:
    """What the console (the operator, no member) sees for /deadline mine: counts, no member ids."""
    counts: dict[str, int] = {}
    for f in app.state.follows():
        counts[f.deadline_id] = counts.get(f.deadline_id, 0) + 1
    if not counts:
        return Reply.text("No member follows a deadline (in Discord, /deadline mine lists the member's own).")
    lines = [f"{n} member(s) follow `{deadline_id}`" for deadline_id, n in sorted(counts.items())]
    return Reply.text("In Discord, /deadline mine lists the member's own. Followers:\n" + "\n".join(lines))


def mine(app: App, member_id: int | None = None) -> Reply:
    if member_id is None:
        return followers(app)
    follows = app.state.follows(member_id)
    if not follows:
        return Reply.text("You follow no deadline. Use 🔔 Remind me under /deadline list or under a reminder.",
                          ephemeral=True)
    staff = offsets(app.state, app.config)
    rows = app.state.reminders(member_id=member_id)
    embed = Embed(title="Your deadline reminders", footer="Only you see this. /deadline forget-me removes everything.")
    controls = []
    for f in follows[:MINE_SHOWN]:
        d = app.state.deadline(f.deadline_id)
        if d is None:
            continue
        mine_rows = [r for r in rows if r.deadline_id == d.id and r.status != "cancelled"]
        lines = [f"Due {stamp(d.due)} · {_offsets_text(member_offsets(f, staff))} before"]
        lines += [_line(r) for r in mine_rows]
        embed.add(neutral(d.title), "\n".join(lines))
        controls.append(Control(f"Stop: {d.title}", UNFOLLOW_PREFIX + d.id))
    return Reply([Reply.embed(embed).pages[0]], ephemeral=True, controls=controls)


def forget_me(app: App, member_id: int | None = None) -> Reply:
    if member_id is None:
        return Reply.text(NOT_IN_DISCORD, ephemeral=True)
    follows, reminders = app.state.forget_member(member_id)
    plan(app.state, app.config, app.now())
    if not follows and not reminders:
        return Reply.text("The bot stores nothing about you.", ephemeral=True)
    return Reply.text(f"Done: {follows} follow(s) and {reminders} reminder record(s) deleted. The bot now stores "
                      "nothing about you; no more reminders will come.", ephemeral=True)
