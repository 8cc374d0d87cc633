"""Words for readers (critmin.present.format): years as years, counts with grammar, flags kept."""
import math

import pytest

from critmin.present import format as fmt


def test_years_never_carry_separators():
    assert fmt.year(2025.0) == "2025" and fmt.year("2010") == "2010"
    assert fmt.years(2021, 2024) == "2021–2024" and fmt.years(2024, 2024.0) == "2024"
    with pytest.raises(ValueError):
        fmt.year(math.nan)
    with pytest.raises(ValueError):
        fmt.year(20250319)


def test_money_mass_and_percent():
    assert fmt.money(780_000_000) == "$780 million"
    assert fmt.money(1_200_000_000) == "$1.2 billion"
    assert fmt.mass(270_000, "t") == "270,000 t"
    assert fmt.pct(95, ">") == ">95%" and fmt.pct(40, "range", 45) == "40–45%"
    assert fmt.pct(math.nan, "W") == "withheld (W)"
    with pytest.raises(ValueError):
        fmt.pct(math.nan, "")


def test_counts_read_as_english():
    assert fmt.of(0, 1, "mineral") == "not the one mineral"
    assert fmt.of(0, 6, "mineral") == "none of the six minerals"
    assert fmt.of(6, 6, "mineral") == "all six minerals"
    assert fmt.of(13, 47, "mineral") == "13 of the 47 minerals"
    assert fmt.count(1, "commodity") == "one commodity" and fmt.count(2, "commodity") == "two commodities"
    assert fmt.join(["a", "b", "c"]) == "a, b and c"


def test_display_names_hide_slugs():
    assert fmt.commodity("rare-earths", "compounds-and-metals") == "Rare Earths: compounds and metals"
    assert fmt.stage("low-purity-primary") == "low-purity primary production"
    assert fmt.stage("mine-ilmenite") == "mine production (ilmenite)"
    with pytest.raises(ValueError):
        fmt.commodity("unobtainium")


def test_estimates_are_marked_one_way():
    """'e' after the figure, in every helper (issue 12: '69% e', '(estimated)' and '(a USGS
    estimate)' were mixed); the marker is recognised so its legend can be given once."""
    assert fmt.pct(79, estimated=True) == "79% e"
    assert fmt.mass(270_000, "t", estimated=True) == "270,000 t e"
    assert fmt.share_text(68.6, "", estimated=True) == "69% e"
    assert fmt.marks_estimate("69% e") and fmt.marks_estimate("low-purity: about 99% e; mine: 4%")
    assert not fmt.marks_estimate("69%", "Rare Earths", "none in force (one measure lifted)")


def test_tiny_shares_say_under_half_a_percent():
    assert fmt.share_text(0.33, "", estimated=True, approx=True) == "under 0.5% e"
    assert fmt.share_text(0.04, "", digits=1) == "under 0.05%"
    assert fmt.share_text(0.0, "", estimated=True, approx=True) == "0% e"
    assert fmt.share_text(0.6, "", approx=True) == "about 1%"


def test_form_labels_read_as_words():
    """A form reads as words from data/mappings/form_labels.csv (BACI's abbreviated slugs worded
    after HS 1992, e.g. 810110 'articles thereof, including waste and scrap, powders'), never as
    'tungsten (metal powders scrap)'; a label never nests brackets ('Graphite (natural)')."""
    assert fmt.commodity("tungsten", "metal-powders-scrap") == "Tungsten: metal, powders and scrap"
    assert fmt.commodity("graphite", "natural-powder-flakes") == "Graphite (natural): natural, in powder or flakes"
    assert fmt.commodity("germanium", "germanium-metal") == "Germanium: metal"
    assert fmt.form_name("ore-and-concentrates", "antimony") == "ore and concentrates"  # no label: its words


def test_every_form_label_names_a_mapped_form():
    """No stale label: each (commodity, form) in form_labels.csv is a form some mapping gives;
    every abbreviated BACI form (a slug of several words without 'and') has a label."""
    import csv

    from critmin import config

    def rows(name):
        with open(config.MAPPINGS / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    known = {(r["commodity"], r["form"]) for r in rows("hs_baci.csv")}
    known |= {(r["canonical"], r["form"]) for r in rows("import_source_forms.csv")}
    labels = {(r["commodity"], r["form"]) for r in rows("form_labels.csv")}
    assert labels - known == set()
    listed = {(r["commodity"], r["form"]) for r in rows("hs_baci.csv")
              if r["form"].count("-") >= 2 and "-and-" not in r["form"]}
    assert listed - labels == set()


def test_mid_sentence_names_are_lower_case():
    assert fmt.in_text("antimony") == "antimony"
    assert fmt.in_text("rare-earths", "compounds-and-metals") == "rare earths (compounds and metals)"
    assert fmt.in_text("graphite", "natural-other") == "graphite (natural), natural, in other forms"
