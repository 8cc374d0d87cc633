"""What a U.S.-only section says when the report's importer is another country (or EU-27).

USGS net import reliance, USGS import sources and our UN Comtrade extract cover only the United
States: for another importer those sections say so, instead of labelling U.S. figures with its
name, and point to the import shares from CEPII BACI (section "Who else depends on ...")."""
from __future__ import annotations

from dataclasses import dataclass

from IPython.display import display

from critmin.present import charts

US = "United States"


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def who(name: str) -> str:
    """An importer as a sentence names it: 'the EU-27', 'the United States', 'Japan'."""
    return "the EU-27" if name == "EU-27" else ("the United States" if name == US else name)


@dataclass(frozen=True)
class UsOnly:
    importer: str
    what: str      # e.g. "USGS net import reliance"

    def sentence(self) -> str:
        name = who(self.importer)
        return (f"{self.what} covers only the United States, so it says nothing about {name}; "
                f"{possessive(name)} import shares by supplier, from CEPII BACI, are in the section "
                "on who else depends on the same suppliers.")

    def paragraph(self) -> charts.Html:
        return charts.paragraph(self.sentence())

    def chart(self) -> charts.Html:
        return charts.paragraph("")

    def headline(self) -> charts.Html:
        # notebook 20 shows a snapshot's headline, then its paragraph: the sentence is said once
        return charts.paragraph("")

    def show(self) -> None:
        display(self.paragraph())


def guard(importer: str, what: str) -> UsOnly | None:
    """None for the United States; otherwise the notice to show in place of the section."""
    return None if importer == US else UsOnly(importer, what)
