"""An official imports the list of a new session (24) and opens the dashboard.

Session 24 is imported with the real importer from a small CSV written here (the five rows of
tests/test_importer.py: records coded to GB/T divisions, as lists name them, and no applicant data at all, since
an approved list names no applicants). The overview must then state only what exists: no "nan", no empty
"such as ." list, "not applicable" for the applicant figures, an explanation instead of the qualification chart;
the sidebar's sessions come from the database, in a new browser session and in one that was open during the
import (or an undo). Expected values are literals or plain SQL on the tables.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core import db, importer
from tests.test_importer import HEADER_ZH, SAMPLE, write_csv

ROWS = len(SAMPLE)  # 5 records, 4 companies, 4 divisions, 3 with an award


def import_session_24(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "第24届名单.csv", HEADER_ZH, SAMPLE)
    importer.apply(importer.validate(path, 24))


@pytest.fixture
def session24(db_copy: Path, tmp_path: Path) -> Path:
    import_session_24(tmp_path)
    return db_copy


def sql(path: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query).fetchall()


# --- the named queries --------------------------------------------------------------------------------------


def test_records_coded_to_a_division_count_in_the_industry_breakdown(session24):
    frame = db.run("industry_breakdown", session_from=24, session_to=24, districts=[], industries=[])
    assert int(frame["records"].sum()) == ROWS
    expected = dict(sql(session24, "SELECT left(industry_code, 3), count(*) FROM records WHERE session_no = 24 "
                                   "GROUP BY ALL"))
    assert frame.groupby("division_code")["records"].sum().to_dict() == expected
    assert frame["group_code"].isna().all()  # the list names divisions only: no group is invented


def test_division_codes_are_not_counted_as_sub_industries(session24):
    totals = db.run("cumulative_totals", session_from=1, session_to=24, districts=[], industries=[]).iloc[0]
    (groups,), = sql(session24, "SELECT count(DISTINCT industry_code) FROM records r JOIN industries i "
                                "USING (industry_code) WHERE i.level = 'group'")
    assert (totals["records"], totals["groups"]) == (3684 + ROWS, groups)


def test_the_treemap_gives_division_coded_records_a_box_of_their_own(session24):
    from core import catalog
    from core.filters import Filters

    fig, _, _ = catalog.build("industry_breakdown", Filters(24, 24, 24, lang="en"), catalog.load_options())
    tree = fig.data[0]
    boxes = {i: (label, parent, value) for i, label, parent, value in zip(tree.ids, tree.labels, tree.parents,
                                                                         tree.values)}
    assert boxes["C39"][2] == 2 and boxes["C39/"] == ("group not given", "C39", 2)
    assert sum(value for _, parent, value in boxes.values() if parent == "") == ROWS
