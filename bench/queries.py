"""Named-query latency on the demo database and on scaled copies (×100, ×1000)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import duckdb

from bench.stats import p95
from core import build as build_module
from core import config, db

ARTIFACTS = config.BENCH_ARTIFACTS

# Companies, records, profiles and applications are copied k times with suffixed ids (the original
# rows stay), so distinct-company counts, joins and group sizes grow like a k times larger programme.
SCALE_SQL = [
    "INSERT INTO companies SELECT c.* REPLACE (c.company_id || '~' || CAST(t.i AS VARCHAR) AS company_id) "
    "FROM companies c, range(1, $k) t(i)",
    "INSERT INTO records SELECT r.* REPLACE (r.record_id || '~' || CAST(t.i AS VARCHAR) AS record_id, "
    "r.company_id || '~' || CAST(t.i AS VARCHAR) AS company_id) FROM records r, range(1, $k) t(i)",
    "INSERT INTO company_profiles SELECT p.* REPLACE (p.company_id || '~' || CAST(t.i AS VARCHAR) AS company_id) "
    "FROM company_profiles p, range(1, $k) t(i)",
    "INSERT INTO applications SELECT a.* REPLACE ("
    "a.application_id || '~' || CAST(t.i AS VARCHAR) AS application_id, "
    "a.company_id || '~' || CAST(t.i AS VARCHAR) AS company_id, "
    "a.record_id || '~' || CAST(t.i AS VARCHAR) AS record_id) FROM applications a, range(1, $k) t(i)",
]


# Bump when the scaling or the derived tables change, so stale copies are rebuilt.
SCALE_VERSION = "v3"


def fingerprint(source: Path) -> str:
    """Changes with the data, the schema, the views and macros, and the scaling: a stale copy is rebuilt."""
    sql_files = [(build_module.DATA / name).read_text("utf-8") for name in ("schema.sql", "views.sql", "derived.sql")]
    parts = [demo_build_id(source), SCALE_VERSION, *SCALE_SQL, *sql_files]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def demo_build_id(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
    return row[0] if row else "unknown"


def scaled_db(k: int, source: Path | None = None) -> tuple[Path, float, bool]:
    """(path, build seconds, reused) of the demo DB scaled ×k; reused while the demo build is unchanged."""
    source = Path(source or config.records_db())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"records_x{k}_{fingerprint(source)}.duckdb"
    if target.exists():
        return target, 0.0, True
    for old in ARTIFACTS.glob(f"records_x{k}_*.duckdb"):
        old.unlink()
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    shutil.copyfile(source, tmp)
    try:
        with duckdb.connect(str(tmp)) as con:
            for sql in SCALE_SQL:
                con.execute(sql, {"k": k})
            build_module.stamp(con)  # derived tables (snapshots) must describe the scaled rows
            con.execute("CHECKPOINT")
        with open(tmp, "rb") as f:  # on disk now: the kernel's writeback of 1.2 GB would land in the timings
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, time.perf_counter() - started, False


def param_sets(path: Path) -> list[dict]:
    """Representative parameters: all districts/industries, one district, one industry (cycled over runs)."""
    with duckdb.connect(str(path), read_only=True) as con:
        company = con.execute("SELECT company_id FROM records GROUP BY 1 "
                              "ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
        latest = con.execute("SELECT max(session_no) FROM sessions").fetchone()[0]
        district = con.execute("SELECT district_code FROM records WHERE district_code IS NOT NULL "
                               "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        industry = con.execute("SELECT left(industry_code, 3) FROM records WHERE industry_code IS NOT NULL "
                               "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    base = {"session": latest, "session_from": 1, "session_to": latest, "districts": [], "industries": [],
            "top": 8, "min_sessions": 2, "q": "", "company_id": company, "limit": 1000, "awarded_only": False,
            "code": district, "session_a": latest - 1, "session_b": latest}
    return [base, {**base, "districts": [district], "q": "科技"},
            {**base, "industries": [industry], "session": latest - 1}]


def measure(path: Path, runs: int, cap_s: float = 1e9, min_runs: int = 5) -> dict[str, float]:
    """p95 ms per named query over `runs` runs (after one warm-up), through core.db.run like the app.

    A query stops early once it has used `cap_s` seconds and has at least `min_runs` runs (the scaled DBs),
    so a slow query cannot stretch the bench; its p95 is then over fewer runs (nearly the maximum).
    """
    with config.database(path):
        params = param_sets(path)
        out = {}
        for name in db.query_names():
            db.run(name, **params[0])  # warm-up: connection, file cache
            times = []
            for i in range(runs):
                started = time.perf_counter()
                db.run(name, **params[i % len(params)])
                times.append((time.perf_counter() - started) * 1000)
                if len(times) >= min_runs and sum(times) / 1000 > cap_s:
                    break
            out[name] = p95(times)
        return out


# The same aggregation both ways: records and distinct companies per session and district.
AGG_SQL = ("SELECT session_no, district_code, count(*) AS records, count(DISTINCT company_id) AS companies "
           "FROM records GROUP BY ALL")


def duckdb_vs_pandas(path: Path, runs: int = 5) -> dict:
    """Median seconds of AGG_SQL in DuckDB (on the file) and of the same groupby in pandas (table already in
    memory, so loading it is not counted against pandas)."""
    import statistics

    with duckdb.connect(str(path), read_only=True) as con:
        frame = con.execute("SELECT session_no, district_code, company_id FROM records").df()
        duck = []
        for _ in range(runs):
            started = time.perf_counter()
            by_duckdb = con.execute(AGG_SQL).df()
            duck.append(time.perf_counter() - started)
    pand = []
    for _ in range(runs):
        started = time.perf_counter()
        by_pandas = (frame.groupby(["session_no", "district_code"], dropna=False)
                     .agg(records=("company_id", "size"), companies=("company_id", "nunique")).reset_index())
        pand.append(time.perf_counter() - started)
    if len(by_duckdb) != len(by_pandas) or int(by_duckdb["records"].sum()) != int(by_pandas["records"].sum()):
        raise RuntimeError("DuckDB and pandas disagree on the aggregation")
    return {"duckdb_s": statistics.median(duck), "pandas_s": statistics.median(pand), "rows": len(frame)}
