"""The article figure extractor: the seed's figures, the navigation cut, small texts with known
answers, and clear errors for input that is not English prose."""
import math
from pathlib import Path

import pytest

from critmin import config
from critmin.claims.article import (MIN_NAV_RUN, load_article, read_article, split_sentences,
                                    story_end)
from critmin.claims.extract import FIGURE_COLUMNS, extract_figures
from critmin.errors import DataError

FIX = Path(__file__).parent / "fixtures" / "claims"
NAN = math.nan

# What a careful reader finds in the seed story (read by hand): sentence, number, high, kind, unit,
# what is counted, qualifier. Nothing from the 'More News' / 'Latest News' / 'Most Read' lists.
SEED_FIGURES = [
    (0, 1821, NAN, "time", "", "", ""),                   # page timestamp
    (0, 20250612, NAN, "date", "", "", ""),               # publication date
    (4, 20250319, NAN, "date", "", "", ""),               # photo caption date
    (13, 2, NAN, "count", "", "biggest economies", ""),   # the two largest economies
    (25, 1992, NAN, "year", "", "", ""),                  # Deng's remark
    (26, 17, NAN, "count", "", "minerals", ""),           # rare earths as a group
    (27, 2019, NAN, "year", "", "", ""),                  # Xi's visit
    (29, 80, NAN, "percent", "percent", "world’s tungsten, gallium and antimony", "around"),
    (29, 60, NAN, "percent", "percent", "world’s germanium", ""),
    (30, 2010, NAN, "year", "", "", ""),                  # suspension to Japan
    (31, 2, NAN, "duration", "months", "", "about"),      # how long it lasted
    (41, 5, NAN, "count", "", "tungsten mines", "at least"),
    (46, 25e6, NAN, "money", "usd", "investment", ""),    # Thai tungsten plant
    (49, 2020, 2023, "period", "", "", "between"),
    (49, 70, NAN, "percent", "percent", "rare earth compounds", "at least"),
    (51, 2, NAN, "ordinal", "", "term", ""),
    (57, 2010, NAN, "decade", "", "", "early"),
    (58, 780e6, NAN, "money", "usd", "", "about"),        # Nebraska financing sought
    (59, 439e6, NAN, "money", "usd", "", ""),             # Defense Department commitment
]
COLS = ["sentence_index", "number", "number_high", "kind", "unit", "counted", "qualifier"]


def _rows(df):
    return [tuple(r) for r in df[COLS].itertuples(index=False)]


def _same(got, want):
    return len(got) == len(want) and all(
        all((isinstance(a, float) and math.isnan(a) and isinstance(b, float) and math.isnan(b))
            or a == b for a, b in zip(g, w)) for g, w in zip(got, want))


@pytest.fixture(scope="module")
def seed():
    return read_article(config.SEED_ARTICLE)


def test_seed_figures_are_what_a_careful_reader_finds(seed):
    got = _rows(extract_figures(seed))
    assert _same(got, SEED_FIGURES), "\n".join(map(str, got))


def test_seed_story_stops_at_the_first_navigation_heading(seed):
    assert seed.text[seed.story_end:].startswith("More News\n")
    assert seed.story.rstrip().endswith("bd-pratidin/Rafid")


def test_no_seed_figure_comes_from_the_navigation(seed):
    df = extract_figures(seed)
    assert (df["char_end"] <= seed.story_end).all()
    # figures that appear only in the navigation lists: a 25% tariff, $31.7 bn reserves, $1.5b, 50 pc
    assert not df["number"].isin([25, 31.7e9, 1.5e9, 50, 36]).any()


def test_columns_positions_and_snippets(seed):
    df = extract_figures(seed)
    assert list(df.columns) == FIGURE_COLUMNS
    for r in df.itertuples():
        assert seed.text[r.char_start:r.char_end] == r.text
        assert r.text in r.snippet
        # a short identifying snippet, never the sentence: at most 3 words before and 5 after
        assert len(r.snippet.split()) <= 8 + len(r.text.split())
        assert len(r.snippet) < len(seed.sentence(r.sentence_index)) or len(r.snippet.split()) < 9


def test_path_text_and_bytes_give_the_same_table(seed):
    a = extract_figures(config.SEED_ARTICLE)
    b = extract_figures(seed.text)
    c = extract_figures(config.SEED_ARTICLE.read_bytes())
    assert a.equals(b) and a.equals(c)


# ---- small texts of our own with known answers -----------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("China mined 1.2 million tons of graphite in 2023, up 5 percent.",
     [(0, 1.2e6, NAN, "mass", "t", "graphite", ""), (0, 2023, NAN, "year", "", "", ""),
      (0, 5, NAN, "percent", "percent", "", "")]),
    ("Over 30 villages flooded. No one came.",
     [(0, 30, NAN, "count", "", "villages", "over")]),
    ("The plant cost US$1.5b and used 300 kg of gallium; COVID-19 and the G7 are names.",
     [(0, 1.5e9, NAN, "money", "usd", "", ""), (0, 300, NAN, "mass", "kg", "gallium", "")]),
    ("It took 3-4 weeks under a 10-year plan covering 2021-24 and 2020–2023.",
     [(0, 3, 4, "duration", "weeks", "", ""), (0, 10, NAN, "duration", "years", "", ""),
      (0, 2021, 2024, "period", "", "", ""), (0, 2020, 2023, "period", "", "", "")]),
    ("Prices rose 12.5 percentage points to €40 in the 1990s and the late-2000s.",
     [(0, 12.5, NAN, "percent", "percentage_points", "", ""), (0, 40, NAN, "money", "eur", "", ""),
      (0, 1990, NAN, "decade", "", "", ""), (0, 2000, NAN, "decade", "", "", "late")]),
    ("Twenty-five miners and a dozen trucks moved some 200 tonnes of ore.",
     [(0, 25, NAN, "count", "", "miners", ""), (0, 12, NAN, "count", "", "trucks", ""),
      (0, 200, NAN, "mass", "t", "ore", "some")]),
    ("Costs of $1-2 billion were cited. Nearly half of output, roughly 40% of it, went abroad.",
     [(0, 1e9, 2e9, "money", "usd", "", ""), (1, 50, NAN, "fraction", "percent", "output", "nearly"),
      (1, 40, NAN, "percent", "percent", "", "roughly")]),
    ("About a third of miners and two-thirds of exports left; the third plant and half the ore stayed.",
     [(0, 100 / 3, NAN, "fraction", "percent", "miners", "about"),
      (0, 200 / 3, NAN, "fraction", "percent", "exports", ""),
      (0, 3, NAN, "ordinal", "", "plant", ""), (0, 50, NAN, "fraction", "percent", "", "")]),
    ("He was first to act in May 2024, and the mine reopened on 2024-05-01 at 7:30.",
     [(0, 20240500, NAN, "date", "", "", ""), (0, 20240501, NAN, "date", "", "", ""),
      (0, 730, NAN, "time", "", "", "")]),
    ("Output fell in 2000 and 1999.5 tons were sold.",
     [(0, 2000, NAN, "year", "", "", ""), (0, 1999.5, NAN, "mass", "t", "", "")]),
    ("The U.S. Export-Import Bank lent more than $3 million. Two firms said so.",
     [(0, 3e6, NAN, "money", "usd", "", "more than"), (1, 2, NAN, "count", "", "firms", "")]),
])
def test_small_texts(text, want):
    got = _rows(extract_figures(text))
    assert _same(got, want), got


def test_dates_keep_an_iso_form():
    df = extract_figures("Shipments resumed on 3 Feb, 2026 and again on Dec 31.")
    assert list(df["normalized"]) == ["2026-02-03", "--12-31"]
    assert list(df["kind"]) == ["date", "date"]


def test_text_without_numbers_gives_an_empty_table_with_the_columns():
    df = extract_figures("Nothing here is counted. The minerals are still in the ground.")
    assert df.empty and list(df.columns) == FIGURE_COLUMNS
    assert df["number"].dtype == "float64" and df["sentence_index"].dtype == "int64"


def test_fixture_article_of_our_own():
    art = read_article(FIX / "mini_article.txt")
    assert art.text[art.story_end:].startswith("Source: Staff")  # the run of headline-like lines
    got = _rows(extract_figures(art))
    assert _same(got, [
        (0, 905, NAN, "time", "", "", ""), (0, 20260203, NAN, "date", "", "", ""),
        (3, 20260114, NAN, "date", "", "", ""),
        (5, 4200, NAN, "mass", "t", "lithium carbonate", ""),
        (5, 15, NAN, "percent", "percent", "", "about"), (5, 2024, NAN, "year", "", "", ""),
        (6, 3, NAN, "count", "", "new evaporation ponds", ""),
        (6, 2023, 2025, "period", "", "", "between"), (6, 40, NAN, "count", "", "drivers", "roughly"),
        (7, 12.5e6, NAN, "money", "usd", "", ""), (7, 2, NAN, "ordinal", "", "plant", ""),
        (7, 6, 8, "duration", "months", "", ""),
        (9, 1990, NAN, "decade", "", "", "early"), (9, 12, NAN, "count", "", "families", "at least"),
    ]), got


# ---- where the story ends ----------------------------------------------------------------------
PROSE = "The mine produced more ore this year than last year, its owner said on the phone today."


def test_nav_heading_cuts_even_before_any_headline_run():
    text = f"{PROSE}\n\nLatest News:\nOne headline\n"
    assert text[story_end(text):].startswith("Latest News:")


def test_headline_run_cuts_only_at_min_length():
    heads = [f"Headline number {i} about something" for i in range(MIN_NAV_RUN)]
    short = PROSE + "\n" + "\n".join(heads[:-1]) + "\n"
    assert story_end(short) == len(short)  # one line short of a run
    full = PROSE + "\n\n" + "\n\n".join(heads) + "\n"  # blank lines do not break a run
    assert full[story_end(full):].startswith("Headline number 0")


def test_subheads_inside_the_story_and_titles_above_it_are_kept():
    titles = "\n".join(["Site menu", "Latest News", "Title of the story", "By a reporter"])
    text = f"{titles}\n{PROSE}\nA subhead\n{PROSE}\nAnother subhead\n{PROSE}\n"
    assert story_end(text) == len(text)


def test_sentences_do_not_split_on_abbreviations_or_decimals():
    text = ("The U.S. Export-Import Bank lent $31.7 million to JL MAG Rare-Earth Co. in Ganzhou. "
            "“It works,” he said. Dr. Li agreed!")
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == ["The U.S. Export-Import Bank lent $31.7 million to JL MAG Rare-Earth Co. in "
                     "Ganzhou.", "“It works,” he said.", "Dr. Li agreed!"]


# ---- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("   \n\t\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"caf\xe9 au lait costs 3 euros", "not UTF-8"),
    ("\x01\x02\x03\x04 binary-ish \x05\x06\x07\x08", "binary"),
    ("12345 67890 3.5%", "no words"),
    ("中国生产了世界上大约80%的钨、镓和锑，以及60%的锗。", "non-Latin"),
    ("বাংলাদেশ ব্যাংক এই মাসে মুদ্রানীতি ঘোষণা করবে", "non-Latin"),
])
def test_unusable_input_is_a_clear_data_error(content, message):
    with pytest.raises(DataError, match=message):
        extract_figures(content)


@pytest.mark.parametrize("name", ["french.txt", "chinese.txt"])
def test_non_english_files_are_refused_naming_the_file(name):
    with pytest.raises(DataError, match=name):
        read_article(FIX / name)


def test_binary_and_missing_files(tmp_path):
    blob = tmp_path / "image.txt"
    blob.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataError, match="binary"):
        extract_figures(blob)
    with pytest.raises(DataError, match="missing"):
        extract_figures(tmp_path / "nope.txt")


def test_wrong_type_is_a_data_error():
    with pytest.raises(DataError, match="str, bytes or pathlib.Path"):
        load_article(42)
