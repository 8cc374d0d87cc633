"""Export-control events joined with U.S. import dependence."""
import pandas as pd

from critmin.analysis import controls, imports, reference, tables


def pairs():
    head = imports.nir_newest(tables.load("net_import_reliance.csv"), edition=2026, headline=True)
    imp = imports.import_shares(tables.load("import_sources.csv"), "China", edition=2026)
    return controls.events_vs_dependence(reference.events(), head, imp)


def test_every_event_mineral_pair_is_kept():
    p = pairs()
    assert len(p) == len(reference.by_mineral(reference.events()))
    ga = p[(p["event_id"] == "cn-2024-us-ban") & (p["mineral"] == "gallium")].iloc[0]
    assert ga["nir_label"] == "100" and bool(ga["dependent"])
    assert ga["focus_import_share_pct"] == 18  # China's share of U.S. gallium imports 2021-24


def test_exporter_is_not_dependent_and_no_nir_is_not_zero():
    p = pairs()
    mo = p[p["mineral"] == "molybdenum"].iloc[0]
    assert mo["nir_label"] == "E" and not mo["dependent"]
    hre = p[p["mineral"] == "heavy-rare-earths"]
    assert not (hre["focus_import_share_pct"] == 0).any()


def test_summary_per_mineral():
    s = controls.mineral_summary(pairs()).set_index("mineral")
    assert s.loc["rare-earths", "first_measure"] == "2010-09-01"
    assert s.loc["rare-earths", "n_measures"] == 5
    assert pd.isna(s.loc["tellurium", "dependent"])  # '>25' says nothing against 50
