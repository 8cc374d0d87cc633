"""import_sources.csv: MCS 2026 shares, Fig2 order-only lists, Hong Kong notes, cross-checks."""
import pytest

from critmin import config
from critmin.io import read_rows, to_csv_bytes
from critmin.ingest.sources import mcs_nir
from critmin.ingest.sources.names import clean_label, country

SHARE_TOLERANCE = 2.0  # percentage points: up to five shares each rounded to a whole percent


@pytest.fixture(scope="module")
def imp():
    return mcs_nir.IMPORT_SOURCES_SCHEMA.validate(mcs_nir.build_import_sources(config.RAW))


def listed(imp, edition, commodity, form=""):
    rows = imp[(imp.edition == edition) & (imp.commodity == commodity) & (imp.form == form)]
    return rows.sort_values("rank")


def test_mcs2026_rare_earth_shares(imp):
    rows = listed(imp, 2026, "rare-earths", "compounds-and-metals")
    assert rows[["country", "share_pct"]].values.tolist() == [
        ["China", 71.0], ["Malaysia", 13.0], ["Japan", 5.0], ["Estonia", 5.0], ["Other countries", 6.0]]
    assert (rows.period == "2021-2024").all()
    assert rows.hong_kong_with_china.tolist() == [True, False, False, False, False]


def test_mcs2026_shares_sum_to_100(imp):
    """Every MCS 2026 breakdown sums to 100 within 2 points, bounds (<1, >99) at their bound."""
    s = imp[(imp.edition == 2026) & (imp.share_flag != "NA")]
    sums = s.groupby(["commodity", "form"]).share_pct.sum()
    assert len(sums) > 140
    assert ((sums - 100).abs() <= SHARE_TOLERANCE).all(), sums[(sums - 100).abs() > SHARE_TOLERANCE]
    assert sums.loc[("gallium", "")] == 100
    assert sums.loc[("tungsten", "")] == 100


def test_bounds_stay_bounds(imp):
    row = listed(imp, 2026, "phosphate-rock").iloc[0]
    assert (row.country, row.share_pct, row.share_flag, row.raw_value) == ("Peru", 99.0, ">", ">99")


def test_older_editions_give_order_only(imp):
    old = imp[imp.edition < 2026]
    assert set(old.edition) == {2023, 2024, 2025}
    assert old.share_pct.isna().all() and (old.share_flag == "NA").all()
    assert listed(imp, 2024, "gallium").country.tolist() == ["Japan", "China", "Germany", "Canada"]
    assert listed(imp, 2023, "gallium").country.tolist() == ["China", "Germany", "Japan", "Ukraine"]
    assert listed(imp, 2025, "rare-earths", "compounds-and-metals").period.iloc[0] == "2020-2023"


def test_hong_kong_note_only_where_usgs_says_so(imp):
    graphite = listed(imp, 2024, "graphite")
    assert graphite.hong_kong_with_china.tolist() == [True, False, False, False]
    assert "Hong Kong" in graphite.note.iloc[0]
    gallium = listed(imp, 2024, "gallium")  # no Hong Kong note for gallium in MCS 2024
    assert not gallium.hong_kong_with_china.any()


def test_rank_is_the_published_order(imp):
    for _, g in imp.groupby(["edition", "commodity", "form", "period"]):
        assert g["rank"].tolist() == list(range(1, len(g) + 1))
        others = g[g.country == "Other countries"]
        assert others.empty or others["rank"].iloc[0] == len(g)  # remainder row is last


def test_fig2_2026_lists_match_the_long_file_order(imp):
    """Fig2 2026 repeats the long file's leading sources. Known differences: rare earths (Japan
    and Estonia tie at 5 %), strontium (Fig2 adds China, absent from the long file's totals),
    yttrium (Fig2 lists three of four), lead (Fig2: Canada, South Korea, Ireland; long file:
    Canada 31, South Korea 16, Mexico 15, Australia 13)."""
    fig2 = mcs_nir.fig2_nir(config.RAW)
    fig2 = fig2[fig2.edition == 2026]
    long = imp[(imp.edition == 2026) & (imp.share_flag != "NA") & (imp.country != "Other countries")]
    differ = set()
    for r in fig2.itertuples():
        rows = long[(long.commodity == r.commodity) & (long.form == r.form)]
        if len(rows) and rows.sort_values("rank").country.tolist() != r.sources:
            differ.add((r.commodity, r.form))
    assert differ == {("rare-earths", "compounds-and-metals"), ("strontium", ""), ("yttrium", ""),
                      ("lead", "")}


def test_fig3_2026_shares_match_the_long_file(imp):
    """MCS 2026 Fig3 (critical minerals) repeats the shares. Known differences are listed."""
    _, rows = read_rows(config.RAW / "usgs-mcs-2026/industry-trends/MCS2026_Fig3_Major_Import_Sources.csv")
    names = {"Graphite, natural": "graphite", "Rare Earths, compounds and metals": "rare-earths",
             "Titanium, mineral concentrates": "titanium-mineral-concentrates"}
    forms = {"rare-earths": "compounds-and-metals"}
    checked, differ = 0, set()
    for line, (_, name, where, pct, _, _) in rows:
        slug = names.get(name)
        c = country(where, file="fig3", row=line)
        if slug is None or c is None:
            continue
        got = imp[(imp.edition == 2026) & (imp.commodity == slug) & (imp.form == forms.get(slug, ""))
                  & (imp.country == c)]
        checked += 1
        if got.empty or got.share_pct.iloc[0] != float(pct):
            differ.add((slug, c))
    assert checked == 15
    # Fig3 gives titanium mineral concentrates another breakdown (South Africa 32, Madagascar 16,
    # Canada 13, Australia 11) than the long file (26, 16, 16, and Mozambique 13)
    assert differ == {("titanium-mineral-concentrates", c) for c in
                      ("South Africa", "Canada", "Australia", "Other countries")}


def test_rubidium_row_without_import_data_is_dropped(imp):
    """The long file's only rubidium row names world producers at 100 %; USGS says no import
    data exist. It is mapped to DROP; rubidium 2026 keeps Fig2's order-only list."""
    rb = listed(imp, 2026, "rubidium")
    assert rb.share_pct.isna().all() and rb.country.tolist() == ["China", "Germany", "Russia"]


def test_countries_are_canonical(imp):
    assert "Republic of Korea" not in set(imp.country)
    assert "Korea, Republic of" not in set(imp.country)
    assert "South Korea" in set(imp.country)
    assert not imp.country.str.contains(r"\d").any()  # footnote digits stripped ('China3')
    assert clean_label("China3 ") == "China"


def test_building_twice_gives_identical_bytes(imp):
    assert to_csv_bytes(mcs_nir.build_import_sources(config.RAW)) == to_csv_bytes(imp)


@pytest.mark.parametrize("mine", ["countries_usgs_trade", "countries_bgs", "comtrade_partners"])
def test_country_names_agree_with_the_world_table_mapping(mine):
    """Same raw spelling -> same canonical name as data/mappings/countries_usgs.csv (helper
    'world'), and none of our canonical names is only an alias there."""
    import csv

    def load(name):
        with open(config.MAPPINGS / f"{name}.csv", encoding="utf-8", newline="") as fh:
            return {r["raw_name"]: r["canonical"] for r in csv.DictReader(fh)}

    world, ours = load("countries_usgs"), load(mine)
    clash = {raw: (c, world[raw]) for raw, c in ours.items() if raw in world and world[raw] != c}
    alias = {c for c in ours.values() if c in world and world[c] != c}
    assert not clash and not alias
