"""Import the program's research page (plain text) into data/papers.yaml.

The page is the source of truth for what it shows (titles, authors, dates, citations) but staff may
have corrected things by hand, so the merge only ever *adds* papers and people and *updates
citations*; any other difference is reported and the hand-edited version is kept.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.catalog.schema import person_keys
from bot.catalog.sources import Problem, SourceError
from bot.text import fold, slug, unique_slug

MARKERS = ("Authors:", "Alumni:", "Date:", "Citations:")


@dataclass
class PagePaper:
    title: str
    abstract: str
    authors: list[str]
    alumni: list[str]
    date: dt.date
    citations: int
    line: int


def _names(line: str) -> list[str]:
    return [n.strip() for n in line.split(",") if n.strip()]


def _date(text: str, file: str, line: int) -> dt.date:
    for fmt in ("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise SourceError([Problem(file, line, "Date", f"'{text}' is not a date like 'Oct 9, 2024'")])


def parse_page(text: str, file: str = "<page>") -> list[PagePaper]:
    """Papers of the research-page text: a title line, abstract line(s), then the four marked fields.

    The page opens with an introduction and closes with program information; a record is anchored
    on its 'Authors:' marker, so the title is the line right after the previous record (or, for the
    first record, the line before its single abstract line).
    """
    lines = [ln.rstrip() for ln in text.splitlines()]
    papers: list[PagePaper] = []
    start = 0
    i = 0
    while i < len(lines):
        if lines[i].strip() != "Authors:":
            i += 1
            continue
        block = [(n, ln) for n, ln in enumerate(lines[start:i], start) if ln.strip()]
        if not papers and len(block) > 2:
            block = block[-2:]
        if len(block) < 2:
            raise SourceError([Problem(file, i + 1, "Authors", "no title and abstract before this record")])
        fields: dict[str, str] = {}
        j = i
        for marker in MARKERS:
            if j + 1 >= len(lines) or lines[j].strip() != marker:
                raise SourceError([Problem(file, j + 1, marker.rstrip(":"), f"expected '{marker}' here")])
            fields[marker] = lines[j + 1].strip()
            j += 2
        try:
            citations = int(fields["Citations:"].replace(",", ""))
        except ValueError:
            raise SourceError([Problem(file, j, "Citations", f"'{fields['Citations:']}' is not a number")]) from None
        title_line, title = block[0]
        papers.append(PagePaper(
            title=title.strip(),
            abstract="\n\n".join(ln.strip() for _, ln in block[1:]),
            authors=_names(fields["Authors:"]),
            alumni=_names(fields["Alumni:"]),
            date=_date(fields["Date:"], file, j - 2),
            citations=citations,
            line=title_line + 1,
        ))
        start = i = j
    return papers


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    kept_hand_edits: list[str] = field(default_factory=list)
    not_on_page: list[str] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)
    lines_rewritten: int = 0  # lines of papers.yaml the write changed (0: the file was not written)

    def lines(self) -> list[str]:
        out = [f"added paper: {t}" for t in self.added]
        out += [f"citations: {c}" for c in self.citations]
        out += [f"kept your edit: {k}" for k in self.kept_hand_edits]
        out += [f"not on the page (kept): {t}" for t in self.not_on_page]
        out += [f"added person: {p}" for p in self.new_people]
        if not self.lines_rewritten:
            out.append("file unchanged (nothing written)")
        else:
            what = "" if self.changed else " (layout only: the same values written anew)"
            out.append(f"wrote {self.lines_rewritten} changed line{'s' if self.lines_rewritten != 1 else ''}{what}")
        return out

    @property
    def changed(self) -> bool:
        return bool(self.added or self.citations or self.new_people)


def merge(existing: dict[str, Any] | None, page: list[PagePaper]) -> tuple[dict[str, Any], MergeReport]:
    """Merge page papers into the papers.yaml data (by folded title); returns new data and a report."""
    data = {"papers": [dict(p) for p in (existing or {}).get("papers") or []],
            "people": [dict(p) for p in (existing or {}).get("people") or []]}
    report = MergeReport()
    by_title = {fold(p["title"]): p for p in data["papers"]}
    ids = {p["id"] for p in data["papers"]}
    people_by_key = {k: p for p in data["people"] for k in person_keys(p)}
    person_ids = {p["id"] for p in data["people"]}
    seen: set[str] = set()

    for paper in page:
        key = fold(paper.title)
        seen.add(key)
        for name in paper.authors:
            if fold(name) not in people_by_key:
                pid = unique_slug(slug(name), person_ids)
                person = {"id": pid, "name": name}
                data["people"].append(person)
                people_by_key[fold(name)] = person
                report.new_people.append(name)
        mine = by_title.get(key)
        if mine is None:
            pid = unique_slug(short_slug(paper.title), ids)
            data["papers"].append({
                "id": pid, "title": paper.title, "abstract": paper.abstract, "authors": paper.authors,
                "alumni": paper.alumni, "date": paper.date, "citations": paper.citations,
            })
            report.added.append(paper.title)
            continue
        if mine.get("citations") != paper.citations:
            report.citations.append(f"{mine['title']}: {mine.get('citations')} → {paper.citations}")
            mine["citations"] = paper.citations
        for name in ("title", "abstract", "authors", "alumni", "date"):
            theirs = getattr(paper, name)
            if _comparable(mine.get(name)) != _comparable(theirs):
                report.kept_hand_edits.append(f"{mine['title']}: {name} differs from the page")
    report.not_on_page = [p["title"] for p in data["papers"] if fold(p["title"]) not in seen]
    return data, report


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def short_slug(title: str, limit: int = 48) -> str:
    """A readable id: whole words of the title up to *limit* characters."""
    out = ""
    for word in slug(title).split("-"):
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


class _Dumper(yaml.SafeDumper):
    """Writes dates the way the catalog's own loader reads them (text, never YAML timestamps), so
    `date: 2024-10-09` stays unquoted and an import that changes nothing rewrites nothing.
    """


_Dumper.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = ">" if len(value) > 100 and "\n" not in value else ("|" if "\n" in value else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

HEADER = """\
# Alumni papers and the people who wrote them.
# Made by `python -m bot catalog import-papers PAGE.txt` and edited by hand: the importer adds new
# papers and people and updates citations; it never overwrites your edits (it reports them).
# A person spelled two ways on the page is one person: list the other spelling under `aliases`.
# Comments other than this header are not kept by the importer: use a `note:` field instead.
"""


def dump(data: dict[str, Any]) -> str:
    return HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def import_file(page_file: Path, papers_yaml: Path) -> MergeReport:
    """Merge the page into papers.yaml. Raises SourceError, writing nothing, for a missing or unreadable
    page and for a page with no paper on it (the track page, or the wrong file altogether).
    """
    from bot.catalog.sources import load

    try:
        text = page_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError([Problem(str(page_file), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError([Problem(str(page_file), None, "", f"cannot read: {exc}")]) from None
    page = parse_page(text, str(page_file))
    if not page:
        raise SourceError([Problem(str(page_file), None, "", "no paper found (a paper is a title, its abstract and "
                                   "Authors:/Date:/Citations: lines): is this the research page? Nothing written")])
    before = papers_yaml.read_text(encoding="utf-8") if papers_yaml.exists() else None
    existing = load(papers_yaml).data if before is not None else None
    data, report = merge(existing, page)
    after = dump(data)
    if after != before:
        papers_yaml.write_text(after, encoding="utf-8")
    report.lines_rewritten = _changed_lines(before or "", after)
    return report


def _changed_lines(before: str, after: str) -> int:
    """How many lines of the file the write changed (added or replaced), whatever the reason."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return sum(1 for line in diff if line.startswith("+ "))
