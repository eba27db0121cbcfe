"""The catalog is faithful to the program's pages: every text is quoted from them, every entry is
reachable through the commands, and where a page is silent the catalog holds nothing."""

from __future__ import annotations

import re

import pytest

from bot.catalog.sources import load
from bot.commands import load as load_commands
from tests.conftest import DATA, RESEARCH_PAGE, TRACK_PAGE

commands = load_commands()


def norm(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


PAGES = norm(RESEARCH_PAGE.read_text(encoding="utf-8") + " " + TRACK_PAGE.read_text(encoding="utf-8"))
STREAMS = load(DATA / "streams.yaml").data
PROGRAM = load(DATA / "program.yaml").data


def quoted_texts():
    """(where, text) for every free-text field the curators copied from the pages."""
    for s in STREAMS["streams"]:
        yield f"{s['id']}.description", s["description"]
        yield f"{s['id']}.cadence.text", s["cadence"]["text"]
        yield f"{s['id']}.project_selection", s.get("project_selection")
    for t in STREAMS["tracks"]:
        for key in ("description", "requirements", "project_selection"):
            yield f"{t['id']}.{key}", t.get(key)
    for e in PROGRAM["editions"]:
        for key in ("description", "mentors_blurb", "eligibility"):
            yield f"{e['id']}.{key}", e.get(key)
        for i, stage in enumerate(e["application_stages"]):
            yield f"{e['id']}.application_stages[{i}]", stage


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", norm(text)) if len(s) > 12]


@pytest.mark.parametrize("where,text", [(w, t) for w, t in quoted_texts() if t], ids=lambda v: str(v)[:40])
def test_every_quoted_sentence_is_on_a_page(where, text):
    for sentence in sentences(text):
        assert sentence.rstrip(".") in PAGES, f"{where}: not on the pages: {sentence!r}"


def test_every_mentor_name_is_on_the_track_page():
    page = TRACK_PAGE.read_text(encoding="utf-8")
    for s in STREAMS["streams"]:
        for m in s["mentors"]:
            assert m["name"] in page, (s["id"], m["name"])
        if not s["mentors"]:
            assert s["mentors_note"], f"{s['id']}: an unnamed mentor must be said to be unnamed"


def test_blank_application_dates_stay_blank():
    apps = [k for k in PROGRAM["key_dates"] if "application" in k["id"]]
    assert len(apps) == 2
    assert all(k["date"] is None and k["date_text"] is None for k in apps)
    # the pages give no year: no key date may carry a full date
    assert all(k["date"] is None for k in PROGRAM["key_dates"])


def test_both_editions_are_kept_and_labelled():
    weeks = {e["id"]: e["weeks"] for e in PROGRAM["editions"]}
    assert sorted(weeks.values()) == [10, 12]
    labels = [e["label"] for e in PROGRAM["editions"]]
    assert len(set(labels)) == 2


def test_every_paper_stream_cadence_and_date_is_reachable(app):
    catalog = app.catalog
    for paper in catalog.papers.values():
        reply = commands.run(app, "paper show", {"title": paper.title})
        assert reply.kind == "answer" and paper.title in str(reply.payload()), paper.title
    for stream in catalog.streams.values():
        shown = str(commands.run(app, "stream show", {"name": stream.name}).payload())
        assert stream.description[:60] in shown.replace("\\\\", ""), stream.id
        cadence = str(commands.run(app, "cadence", {"name": f"stream:{stream.id}"}).payload())
        expected = stream.cadence.text[:50] if stream.cadence.text else "does not give"
        assert expected in cadence, stream.id
    dates = str(commands.run(app, "program", {"topic": "dates"}).payload())
    for kd in catalog.key_dates.values():
        assert (kd.date_text or "not announced") in dates, kd.id
    tracks = str(commands.run(app, "program", {"topic": "tracks"}).payload())
    for track in catalog.tracks.values():
        assert track.name in tracks, track.id


@pytest.mark.parametrize("topic", ["dates", "length"])
def test_an_edition_asked_for_shows_only_its_own_dates(app, topic):
    """'When does the 10-week program end?': the other edition's 'late August' beside the answer would
    read as a second, contradicting answer."""
    catalog = app.catalog
    for edition in catalog.editions.values():
        shown = str(commands.run(app, "program", {"topic": topic, "edition": edition.id}).payload())
        for kd in catalog.key_dates.values():
            text = kd.date_text or "not announced"
            if kd.edition_id == edition.id:
                assert text in shown, (edition.id, kd.id)
            elif kd.date_text and not any(text in (o.date_text or "") for o in catalog.key_dates.values()
                                          if o.edition_id == edition.id):
                assert text not in shown, (edition.id, kd.id)
