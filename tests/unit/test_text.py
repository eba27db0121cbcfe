"""Pure text helpers: folding for matching, neutralising for display, clean cuts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text import clean, content_words, fold, neutral, shorten, split_clean


def test_fold_ignores_case_accents_punctuation_and_invisible_characters():
    assert fold("Jérémy  SCHEURER!") == fold("jeremy scheurer") == "jeremy scheurer"
    assert fold("Højmark, Axel") == "hojmark axel"
    assert fold("gra\u200bdient-routing") == "gradient routing"
    assert fold("Adrià Garriga-Alonso") == "adria garriga alonso"


def test_clean_drops_control_and_bidi_characters_and_bounds_length():
    assert clean("a\x00b\x07c") == "a b c"
    assert clean("\u202eevil\u202c") == "evil"
    assert len(clean("x" * 5000)) == 200


def test_stopwords_alone_are_no_content():
    assert content_words("the") == [] and content_words("by the of") == []
    assert content_words("the refusal direction") == ["refusal", "direction"]


def test_neutral_defuses_mentions_and_markdown():
    out = neutral("@everyone @here <@&123> <@456> <#789> **b** `c` [l](u)")
    for raw in ("@everyone", "@here", "<@&123>", "<@456>", "<#789>", "**b**", "`c`", "[l]"):
        assert raw not in out
    assert "everyone" in out and "123" in out


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    text = "Refusal in Language Models Is Mediated by a Single Direction"
    assert shorten(text, 100) == text
    cut = shorten(text, 30)
    assert len(cut) <= 30 and cut.endswith("…") and text.startswith(cut[:-1])
    assert not cut[:-1].endswith(" ")


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=2, max_value=500))
def test_shorten_never_exceeds_its_limit(text, limit):
    assert len(shorten(text, limit)) <= limit


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=9000))
def test_split_clean_keeps_every_word_within_limits(text):
    parts = split_clean(text, 1000)
    assert all(len(p) <= 1000 for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())
