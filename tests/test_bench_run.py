"""`bench --only SECTION` measures that section and keeps every other row of the results file as it was (it
once wrote them all as "not measured", so measuring one new row blanked the other 25)."""

from __future__ import annotations

import json

from bench import run
from bench.stats import row


def test_only_one_section_keeps_the_other_rows(built_db, tmp_path, monkeypatch):
    out = tmp_path / "results.json"
    out.write_text(json.dumps([{"name": "query_p95_demo", "value": 5.0, "unit": "ms", "budget": 20, "met": True},
                               {"name": "apptest_rerun_median", "value": 300.0, "unit": "ms", "budget": 150,
                                "met": False}]), encoding="utf-8")
    monkeypatch.setattr(run, "section_apptest", lambda: [row("apptest_rerun_median", 99.0, "ms", 150)])
    monkeypatch.chdir(tmp_path)
    run.main(["--only", "apptest", "--out", str(out)])
    rows = {r["name"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert rows["query_p95_demo"]["value"] == 5.0 and rows["query_p95_demo"]["met"] is True  # kept
    assert rows["apptest_rerun_median"]["value"] == 99.0  # measured now
    assert rows["png_export_warm"]["value"] is None and rows["png_export_warm"]["met"] is None  # never measured
    assert "page_weight_ratio" in rows and "server_cpu_per_change_ratio" in rows  # the ops rows are listed
