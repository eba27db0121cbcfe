"""What a valid catalog looks like, checked before anything is written.

The rules are data (a small field-spec language) so that the same table drives validation,
the error messages and the docs; a typo'd key in hand-edited YAML must fail loudly with its line,
never be silently ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from bot.catalog.sources import Document, Path_, Problem
from bot.text import fold

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class F:
    """One field: its kind, whether it must be present, and whether null is an allowed value."""

    kind: str  # str | int | bool | date | slug | list | record | enum
    required: bool = True
    nullable: bool = False
    item: F | None = None  # for list
    fields: dict[str, F] | None = None  # for record
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    min_items: int = 0


def opt(f: F) -> F:
    return F(f.kind, False, True, f.item, f.fields, f.choices, f.minimum, f.min_items)


def nullable(f: F) -> F:
    return F(f.kind, True, True, f.item, f.fields, f.choices, f.minimum, f.min_items)


STR, SLUG_F, DATE, BOOL = F("str"), F("slug"), F("date"), F("bool")
STR_LIST = F("list", item=STR)


def record(**fields: F) -> F:
    return F("record", fields=fields)


def list_of(item: F, min_items: int = 0) -> F:
    return F("list", item=item, min_items=min_items)


PAPER = record(
    id=SLUG_F, title=STR, abstract=STR, authors=list_of(STR, 1), alumni=opt(STR_LIST), date=DATE,
    citations=F("int", minimum=0), url=opt(STR), note=opt(STR),
)
PERSON = record(id=SLUG_F, name=STR, aliases=opt(STR_LIST), note=opt(STR))
PAPERS_FILE = record(papers=list_of(PAPER), people=list_of(PERSON))

TRACK = record(
    id=SLUG_F, name=STR, editions=list_of(SLUG_F, 1), description=nullable(STR),
    requirements=opt(STR), project_selection=opt(STR),
)
MENTOR = record(name=STR, role=F("enum", choices=("mentor", "example-primary-mentor")))
CADENCE = record(
    text=nullable(STR),
    frequency=nullable(F("enum", choices=("weekly", "daily", "fortnightly", "monthly"))),
    duration_minutes=nullable(F("int", minimum=1)),
    format=nullable(F("enum", choices=("one-on-one", "group", "one-on-one-or-group", "project-meetings"))),
    ad_hoc=nullable(BOOL), async_channel=nullable(STR), reply_time=nullable(STR), notes=opt(STR),
)
REQUIREMENTS = record(
    essential=opt(STR_LIST), preferred=opt(STR_LIST), not_a_good_fit=opt(STR_LIST), text=opt(STR),
    headings_without_content=opt(list_of(F("enum", choices=("essential", "preferred", "not_a_good_fit")))),
)
STREAM = record(
    id=SLUG_F, name=STR, nicknames=opt(STR_LIST), track=SLUG_F, mentors=list_of(MENTOR),
    mentors_note=opt(STR), organisation=opt(STR), description=STR, cadence=CADENCE,
    requirements=REQUIREMENTS, project_selection=opt(STR), extra=opt(STR),
)
STREAMS_FILE = record(tracks=list_of(TRACK, 1), streams=list_of(STREAM))

EDITION = record(
    id=SLUG_F, label=STR, source=STR, weeks=F("int", minimum=1), description=STR,
    mentors_blurb=opt(STR), eligibility=opt(STR), tracks=list_of(SLUG_F), application_stages=STR_LIST,
)
KEY_DATE = record(
    id=SLUG_F, edition=SLUG_F, name=STR, date=nullable(DATE), date_text=nullable(STR), note=opt(STR),
)
PROGRAM_FILE = record(editions=list_of(EDITION, 1), key_dates=list_of(KEY_DATE))


def check(doc: Document, spec: F) -> list[Problem]:
    """Every shape problem of *doc*, each with file, line and dotted field.

    A yes/no pass first (`valid`: no paths, no messages, a column at a time); only a document it
    refuses is walked again to say where and why.
    """
    if valid(spec)(doc.data):
        return []
    problems: list[Problem] = []
    _check(doc, doc.data, spec, (), problems)
    return problems


_VALIDATORS: dict[int, tuple[F, Callable[[list[Any]], bool]]] = {}


def valid(spec: F) -> Callable[[Any], bool]:
    """A function saying whether a value has no problem at all under *spec* (what `_check` would say
    without a single complaint), compiled once per spec.
    """
    known = _VALIDATORS.get(id(spec))
    if known is None or known[0] is not spec:
        known = _VALIDATORS[id(spec)] = (spec, _column(spec))
    column_ok = known[1]
    return lambda value: column_ok([value])


def _column(spec: F) -> Callable[[list[Any]], bool]:
    """Whether every value of a list is valid under *spec*, asked of them all at once: a field of all
    the records of a list is one column, the items of all its lists another, and each column is
    checked by a few passes of C loops (`map`, `all`, `min`) instead of a Python call per value
    (100k papers have 1.5 million values).
    """
    nullable, kind = spec.nullable, spec.kind

    def present(values: list[Any]) -> list[Any] | None:
        """The values to look at (the nulls, when allowed, need nothing more); None when a null is not allowed."""
        if None not in values:
            return values
        return [v for v in values if v is not None] if nullable else None

    if kind == "record":
        assert spec.fields is not None
        names = frozenset(spec.fields)
        subs = [(key, sub.required, sub.nullable, _column(sub)) for key, sub in spec.fields.items()]

        def records_ok(values: list[Any]) -> bool:
            records = present(values)
            if records is None or not all(map(isinstance, records, repeat(dict))):
                return False
            if not all(map(names.issuperset, records)):  # no unknown key
                return False
            for key, required, can_be_null, ok in subs:
                if required:
                    try:
                        column = list(map(itemgetter(key), records))
                    except KeyError:  # a record without it
                        return False
                elif can_be_null:  # absent or null: the same to the check
                    column = list(map(dict.get, records, repeat(key)))
                else:
                    column = [r[key] for r in records if key in r]
                if not ok(column):
                    return False
            return True

        return records_ok
    if kind == "list":
        assert spec.item is not None
        items_ok, least = _column(spec.item), spec.min_items

        def lists_ok(values: list[Any]) -> bool:
            lists = present(values)
            if lists is None or not all(map(isinstance, lists, repeat(list))):
                return False
            if least and min(map(len, lists), default=least) < least:
                return False
            return items_ok(list(chain.from_iterable(lists)))

        return lists_ok
    if kind in ("str", "slug", "enum"):
        choices = frozenset(spec.choices)

        def texts_ok(values: list[Any]) -> bool:
            texts = present(values)
            if texts is None or not all(map(isinstance, texts, repeat(str))):
                return False
            if not all(texts) or any(map(str.isspace, texts)):  # empty or blank
                return False
            if kind == "slug":
                return all(map(SLUG.match, texts))
            return kind != "enum" or choices.issuperset(texts)

        return texts_ok
    if kind == "int":
        least_int = spec.minimum

        def ints_ok(values: list[Any]) -> bool:
            ints = present(values)
            if ints is None or not all(map(isinstance, ints, repeat(int))) or any(map(isinstance, ints, repeat(bool))):
                return False
            return least_int is None or min(ints, default=least_int) >= least_int

        return ints_ok
    if kind == "bool":
        return lambda values: (found := present(values)) is not None and all(map(isinstance, found, repeat(bool)))
    if kind == "date":

        def dates_ok(values: list[Any]) -> bool:
            dates = present(values)
            if dates is None:
                return False
            if all(map(isinstance, dates, repeat(str))):
                try:  # what `parse_date` does to text, to the whole column
                    deque(map(dt.date.fromisoformat, map(str.strip, dates)), maxlen=0)
                except ValueError:
                    return False
                return True
            return all(parse_date(v) is not None for v in dates)

        return dates_ok
    return lambda values: present(values) is not None


def _check(doc: Document, value: Any, spec: F, path: Path_, out: list[Problem]) -> None:
    if value is None:
        if not spec.nullable:
            out.append(doc.problem(path, "must not be empty"))
        return
    kind = spec.kind
    if kind == "record":
        if not isinstance(value, dict):
            out.append(doc.problem(path, "must be a mapping of keys to values"))
            return
        assert spec.fields is not None
        for key in value:
            if key not in spec.fields:
                known = ", ".join(spec.fields)
                out.append(doc.problem((*path, key), f"unknown key (known keys: {known})"))
        for key, sub in spec.fields.items():
            if key not in value:
                if sub.required:
                    out.append(doc.problem(path, f"missing field '{key}'"))
                continue
            _check(doc, value[key], sub, (*path, key), out)
    elif kind == "list":
        if not isinstance(value, list):
            out.append(doc.problem(path, "must be a list"))
            return
        if len(value) < spec.min_items:
            out.append(doc.problem(path, f"needs at least {spec.min_items} item(s)"))
        assert spec.item is not None
        for i, item in enumerate(value):
            _check(doc, item, spec.item, (*path, i), out)
    elif kind in ("str", "slug", "enum"):
        if not isinstance(value, str) or not value.strip():
            out.append(doc.problem(path, "must be non-empty text"))
        elif kind == "slug" and not SLUG.match(value):
            out.append(doc.problem(path, f"'{value}' is not an id (lower-case letters, digits and '-')"))
        elif kind == "enum" and value not in spec.choices:
            out.append(doc.problem(path, f"'{value}' is not one of: {', '.join(spec.choices)}"))
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(doc.problem(path, "must be a whole number"))
        elif spec.minimum is not None and value < spec.minimum:
            out.append(doc.problem(path, f"must be at least {spec.minimum}"))
    elif kind == "bool" and not isinstance(value, bool):
        out.append(doc.problem(path, "must be true or false"))
    elif kind == "date" and parse_date(value) is None:
        out.append(doc.problem(path, f"'{value}' is not a real date (write YYYY-MM-DD)"))


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_ids(doc: Document, items: list[dict[str, Any]], key: str) -> list[Problem]:
    """Duplicate ids within one list."""
    if all(map(isinstance, items, repeat(dict))):
        ids = list(map(dict.get, items, repeat("id")))
        try:
            if len(set(ids)) == len(ids):  # the common case, asked of the whole list at once
                return []
        except TypeError:  # an id that is a list or a mapping: the shape check reports it
            pass
    seen: dict[str, int] = {}
    out = []
    for i, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            out.append(doc.problem((key, i, "id"), f"duplicate id '{ident}' (first at item {seen[ident]})"))
        else:
            seen[ident] = i
    return out


def person_keys(person: dict[str, Any], fold: Callable[[str], str] = fold) -> list[str]:
    return [fold(person["name"]), *(fold(a) for a in person.get("aliases") or [])]
