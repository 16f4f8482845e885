"""What the demo generator reads: the published figures (data/raw/published_stats.csv, their only home) and
the demo's guessed shape (data/demo/*.csv, every row marked guessed, published or derived).

Plain dicts and lists, so the planning functions that use them stay pure and testable.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from core import config

DATA, RAW, DEMO = config.DATA, config.RAW, config.DEMO


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Published:
    """The published figures, looked up by (first session, last session, metric, value_text)."""

    rows: tuple[dict, ...]

    @classmethod
    def load(cls, path: Path = RAW / "published_stats.csv") -> Published:
        return cls(tuple(read_csv(path)))

    def get(self, first: int, last: int, metric: str, text: str = "", comparison: str = "eq") -> float | None:
        for row in self.rows:
            if (int(row["session_from"]), int(row["session_to"]), row["metric"], row["value_text"],
                    row["comparison"]) == (first, last, metric, text, comparison):
                return float(row["value"])
        return None

    def session(self, n: int, metric: str, text: str = "") -> float | None:
        return self.get(n, n, metric, text)

    def texts(self, n: int, metric: str) -> dict[str, float]:
        """value_text -> value of one session's metric published per item (industries, prizes)."""
        return {r["value_text"]: float(r["value"]) for r in self.rows
                if r["session_from"] == r["session_to"] == str(n) and r["metric"] == metric
                and r["comparison"] == "eq"}

    def cumulative(self, metric: str) -> dict[int, int]:
        """Published totals over sessions 1..N, by N (e.g. records over 1-20, 1-22, 1-23)."""
        return {int(r["session_to"]): int(float(r["value"])) for r in self.rows
                if r["session_from"] == "1" and r["session_to"] != "1" and r["metric"] == metric
                and r["comparison"] == "eq"}

    def range_of(self, first: int, last: int, metric: str) -> tuple[int, int] | None:
        for r in self.rows:
            if (int(r["session_from"]), int(r["session_to"]), r["metric"], r["comparison"]) == (
                    first, last, metric, "between"):
                return int(float(r["value"])), int(float(r["value_max"]))
        return None


@dataclass(frozen=True)
class Shape:
    """The demo's guessed shape: per-session targets, district and industry weights, products."""

    targets: dict[int, dict[str, str]]   # session -> measure -> value ('' where the value is published)
    districts: list[dict]
    industries: list[dict]
    products: list[dict]
    session1: list[dict]

    @classmethod
    def load(cls, folder: Path = DEMO) -> Shape:
        targets: dict[int, dict[str, str]] = {}
        for row in read_csv(folder / "session_targets.csv"):
            targets.setdefault(int(row["session_no"]), {})[row["measure"]] = row["value"]
        return cls(targets, read_csv(folder / "districts.csv"), read_csv(folder / "industries.csv"),
                   read_csv(folder / "products.csv"), read_csv(folder / "session1_industries.csv"))

    def guess(self, n: int, measure: str) -> float | None:
        value = self.targets.get(n, {}).get(measure, "")
        return float(value) if value != "" else None


def concentration_bounds(path: Path = RAW / "plausibility_bounds.csv") -> dict[str, int]:
    """The plausibility checks' bounds on how many records one firm holds (docs/data.md gives the reasons)."""
    return {row["bound"]: int(row["value"]) for row in read_csv(path)}


def reference() -> dict:
    """The project's reference tables the generator needs (industries, district names)."""
    industries = read_csv(RAW / "industries.csv")
    return {
        "industry_names": {r["industry_code"]: (r["name_zh"], r["name_en"]) for r in industries},
        "district_names": {r["district_code"]: r["name_zh"] for r in read_csv(RAW / "districts.csv")},
    }
