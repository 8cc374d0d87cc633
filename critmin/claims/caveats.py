"""Caveats a claim's check needs, computed from the data (never typed per claim):
  - stage: a claim that says 'produces' or 'output' (not 'mines') checked against mine production
    because USGS publishes no other stage for the mineral: refined output may be meant;
  - revision: a later compared edition prints another share for the year the first one compared
    (antimony 2024: 60% in MCS 2025, 34% in MCS 2026);
  - context: no compared edition has a figure, but an older one does (germanium: MCS 2022);
  - import codes: an import share read on BACI codes that leave forms out or mix them (tungsten:
    ores and powders, by value only), from import_forms_baci.csv's caveat column."""
from __future__ import annotations

import math
import re

import pandas as pd

from critmin.claims import imports
from critmin.claims.check import _name, world_share

REVISION_PTS = 1.0  # smaller revisions of a share are not worth a caveat
MINING_WORDS = re.compile(r"\b(?:min(?:e|es|ed|ing)|miner|extract(?:s|ed|ion)?|ores?)\b", re.I)


def _text(c, sentence: str = "") -> str:
    return " ".join([sentence] + [str(getattr(c, k, "") or "") for k in ("claim", "span", "written")])


def stage_caveat(c, world: pd.DataFrame, editions, sentence: str = "") -> str:
    stages = set(world.loc[(world.commodity == c.commodity) & (world.measure == "production")
                           & world.edition.isin(editions), "stage"])
    if str(c.stage) != "mine" or stages != {"mine"} or MINING_WORDS.search(_text(c, sentence)):
        return ""
    return (f"the article does not say mined: it may mean refined {_name(c.commodity)}, which USGS "
            f"does not report (it publishes mine production only), so only mining is checked")


REFINE_WORDS = re.compile(r"\brefin(?:e|es|ed|ing|er|ers|ery|eries)\b", re.I)


def smelter_caveat(c, sentence: str = "") -> str:
    """'refined magnesium metal' checked at stage 'smelter' (production.smelted_stage)."""
    if str(c.stage) != "smelter" or not REFINE_WORDS.search(_text(c, sentence)):
        return ""
    return (f"the article says refined; USGS publishes {_name(c.commodity)} at the smelter stage only "
            "(primary metal), which is what is checked")


def _share_text(pub: dict) -> str:
    detail = pub["public_detail"].replace(" (estimated)", "")
    return f"{pub['public_pct']:.1f}% ({detail})"


def revision_caveat(c, world: pd.DataFrame, editions) -> str:
    eds = sorted(editions)
    if len(eds) < 2:
        return ""
    first = world_share(world, eds[0], c.commodity, "production", c.stage, c.country, c.year_or_period)
    if first["public_flag"] != "":
        return ""
    year = first["period"]
    later = world_share(world, eds[-1], c.commodity, "production", c.stage, c.country, year)
    if later["public_flag"] != "" or abs(later["public_pct"] - first["public_pct"]) < REVISION_PTS:
        return ""
    return (f"MCS {eds[-1]} revised {c.country}'s {year} share from {_share_text(first)} in MCS "
            f"{eds[0]} to {_share_text(later)}")


def context_caveat(c, world: pd.DataFrame, editions, checks: pd.DataFrame) -> str:
    if (checks["public_flag"] != "none").any():
        return ""
    older = sorted({int(e) for e in world.loc[world.commodity == c.commodity, "edition"]
                    if e < min(editions)}, reverse=True)
    for ed in older:
        pub = world_share(world, ed, c.commodity, "production", c.stage, c.country, "latest")
        if pub["public_flag"] == "" and not math.isnan(pub["public_pct"]):
            return (f"no compared edition has a figure; the last USGS world figure, MCS {ed}, gave "
                    f"{pub['public_detail'].replace(' (estimated)', '')} in {pub['compared']} "
                    f"({pub['public_pct']:.1f}%; {pub['source_file']} rows {pub['source_rows']})")
    return ""


def for_claim(c, checks: pd.DataFrame, tables: dict, sentence: str = "") -> str:
    """The claim's caveats as one text ('; '-joined, '' for none); sentence: the article's sentence
    stating the claim, when known (its verb says whether mining is meant)."""
    if c.kind == "import_share":
        return imports.caveat(c.commodity, c.form)
    if c.kind != "share_of_world_production" or "world.csv" not in tables:
        return ""
    world = tables["world.csv"]
    eds = sorted(int(e) for e in checks["edition"].dropna())
    if not eds:
        return ""
    parts = [stage_caveat(c, world, eds, sentence), smelter_caveat(c, sentence), revision_caveat(c, world, eds),
             context_caveat(c, world, eds, checks)]
    return "; ".join(p for p in parts if p)
