"""Text helpers shared by the catalog, search and answers.

Two directions matter: what a member types must be *folded* so that 'Jeremy', 'Jérémy' and
'JÉRÉMY ' compare equal, and what we show back must be *neutralised* so that nothing a member
or the catalog holds can ping a role or break Discord markdown.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from collections.abc import Callable, Sequence

import snowballstemmer  # type: ignore[import-untyped]

# Zero-width, bidi controls and other format characters that a phone keyboard or a paste can
# smuggle into a query: they change nothing a person sees, so they must change nothing we match.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")

MAX_QUERY_CHARS = 200
"""Longest query we match on: longer input is cut, not rejected (a pasted abstract still finds its paper)."""

STOPWORDS = frozenset(
    """a an and are as at be been by can did do does for from had has have he her his how i in is it its
    me my of on or our she so that the their them there they this to was we were what when where which
    who whom why will with you your about into than then these those any all also""".split()
)


def clean(text: str | None, limit: int = MAX_QUERY_CHARS) -> str:
    """Make raw user input safe to process: NFC, no control or invisible characters, one-line, bounded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = _INVISIBLE.sub("", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = _SPACES.sub(" ", text).strip()
    return text[:limit].strip()


class _Stripped(dict[int, str]):
    """Character → itself without accents (NFKD, combining marks dropped), worked out once per
    character: decomposing and filtering each name of a 60k-people catalog took seconds.
    """

    LIMIT = 20_000
    """Distinct characters kept at most (members can type any of a million)."""

    def __missing__(self, code: int) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        out = self[code] = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
        return out


_STRIPPED = _Stripped()


def strip_accents(text: str) -> str:
    # Per character is the same as per text: NFKD decomposes each character on its own, and the
    # canonical reordering it also does moves only combining marks, which are dropped.
    return text.translate(_STRIPPED)


def fold(text: str | None) -> str:
    """The comparison form: lower case, no accents, punctuation as spaces, single spaces."""
    if not text:
        return ""
    if text.isascii():  # the common case, same result: no accents, invisibles or special letters
        return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()
    text = strip_accents(_INVISIBLE.sub("", text)).casefold()
    # Letters without a decomposition (ø, ł, ß, æ) still deserve an ASCII twin.
    text = text.translate(_EXTRA_FOLDS)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def once(fn: Callable[[str], str], cache: dict[str, str]) -> Callable[[str], str]:
    """*fn* computed once per distinct text, through *cache* (a catalog names 60k people 400k times)."""

    def cached(text: str) -> str:
        out = cache.get(text)
        if out is None:
            out = cache[text] = fn(text)
        return out

    return cached


_EXTRA_FOLDS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"})


def words(text: str | None) -> list[str]:
    return fold(text).split()


def content_words(text: str | None) -> list[str]:
    """Folded words minus stopwords: 'the' or 'by' alone must never count as a match."""
    return [w for w in words(text) if w not in STOPWORDS]


def slug(text: str) -> str:
    return "-".join(words(text))[:80].strip("-") or "item"


PING_SYNTAX = re.compile(r"@(everyone|here)|<(@[!&]?|#)(\d+)>|<(/[^>]*):(\d+)>", re.IGNORECASE)
"""Everything Discord renders as a mention: @everyone/@here, users, roles, channels, slash commands
(the one pattern: what staff text may not contain, and what member text is neutralised for)."""
_MARKDOWN = re.compile(r"([\\*_`~|\[\]])|^([>#-])", re.MULTILINE)


def neutral(text: str | None) -> str:
    """Text from a member or the catalog, safe to put in a reply: it pings nobody and cannot
    open a code block or a spoiler that swallows the rest of the message.

    allowed_mentions=none already stops pings; this also keeps the *look* of a mention from
    appearing, so a screenshot of the reply cannot be mistaken for one.
    """
    if not text:
        return ""
    text = PING_SYNTAX.sub(lambda m: m.group(0).replace("@", "@\u200b").replace("<", "<\u200b"), text)
    return _MARKDOWN.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)


def quote(text: str | None, limit: int = 80) -> str:
    """A member's query echoed back: cleaned, shortened, neutralised."""
    return neutral(shorten(clean(text), limit))


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """'1 citation', '2 citations', '1 paper', '4 streams': a count with its noun agreeing (no '(s)')."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut with '…'; never longer than *limit*."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def split_clean(text: str, limit: int) -> list[str]:
    """Split long text into chunks of at most *limit* characters at sentence or word boundaries."""
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if cut < limit * 0.5:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit - 1
        chunks.append(text[: cut + 1].strip())
        text = text[cut + 1 :].strip()
    if text:
        chunks.append(text)
    return chunks


def unique_slug(base: str, taken: set[str], fallback: str = "item") -> str:
    """*base*, or *base*-2, -3, … : the first id not in *taken* (which it then joins)."""
    base = base or fallback
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


# -- search keys: also computed by the catalog build, which stores them for the indexes to load --
_ASCII_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_fast(text: str) -> str:
    """`text.fold`, with a shortcut for plain ASCII (most titles and queries): same result, far faster."""
    if text.isascii():
        return " ".join(_ASCII_NON_WORD.sub(" ", text.lower()).split())
    return fold(text)


def entry_key(text: str, cache: dict[str, str] | None = None) -> str:
    """The key of a catalog name or title: like `query_key` but never cut short. Text with accents is
    folded token by token through *cache*, so each distinct token is folded once per index build.
    """
    if text.isascii():
        tokens = _ASCII_NON_WORD.sub(" ", text.lower()).split()
    elif cache is None:
        tokens = fold(text).split()
    else:
        tokens = []
        for token in text.split():
            folded = cache.get(token)
            if folded is None:
                folded = cache[token] = fold(token)
            tokens += folded.split()
    return " ".join(w for w in tokens if w not in STOPWORDS)


def word_postings(keys: Sequence[str]) -> dict[str, array[int]]:
    """For each word of *keys*, the positions of the keys that contain it, ascending: the postings of
    a word index (the build stores those of the paper titles so that start-up need not make them).
    """
    vocab: dict[str, array[int]] = {}
    for i, key in enumerate(keys):
        for word in set(key.split()):
            postings = vocab.get(word)
            if postings is None:
                postings = vocab[word] = array("i")
            postings.append(i)
    return vocab


# -- stems: the question reader's, and the build's for the papers' vocabulary (stored, see catalog.indexes) --
_STEMMER = snowballstemmer.stemmer("english")
_STEM_LOCK = threading.Lock()
_STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    """The English Snowball stem of a folded word ('fooled' → 'fool'), cached."""
    cached = _STEM_CACHE.get(word)
    if cached is None:
        with _STEM_LOCK:
            if len(_STEM_CACHE) > 100_000:
                _STEM_CACHE.clear()
            cached = _STEM_CACHE[word] = str(_STEMMER.stemWord(word))
    return cached
