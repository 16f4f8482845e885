"""The built database honours its contract (DESIGN.md "Data contract"): dbt-style unique / not-null /
accepted-values tests on every key column, foreign keys, district spellings, credit codes, and a
deterministic build.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from stdnum.cn import uscc

from core import build as build_module
from core.districts import alias_key

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def con(built_db):
    with duckdb.connect(str(built_db), read_only=True) as connection:
        yield connection


def rows(con, sql: str, params: dict | None = None) -> list[tuple]:
    return con.execute(sql, params or {}).fetchall()


# Table and column names come from this file only, never from input.
UNIQUE = [
    ("sessions", "session_no"),
    ("districts", "district_code"),
    ("district_aliases", "alias"),
    ("industries", "industry_code"),
    ("companies", "company_id"),
    ("records", "record_id"),
    ("company_profiles", "session_no, company_id"),
    ("applications", "application_id"),
    ("published_stats", "session_from, session_to, metric, value_text"),
    ("records", "session_no, project_name_zh"),  # a list never names one project twice (the importer checks it)
    ("applications", "session_no, company_id, project_name_zh"),
    ("import_log", "import_id"),
    ("meta", "key"),
]

NOT_NULL = [
    ("sessions", ["session_no", "year", "name_zh", "name_en", "programme_name_zh", "name_attested"]),
    ("districts", ["district_code", "name_zh", "name_en", "kind", "established"]),
    ("district_aliases", ["alias", "alias_key", "district_code"]),
    ("industries", ["industry_code", "level", "name_zh", "name_en"]),
    ("companies", ["company_id", "name_zh", "name_en", "district_code", "source"]),
    ("records", ["record_id", "session_no", "company_id", "project_name_zh", "project_name_en", "industry_code",
                 "industry_raw", "district_code", "district_raw", "source"]),
    ("company_profiles", ["session_no", "company_id", "approved", "is_high_tech", "annual_revenue_cny",
                          "district_code", "district_raw", "source"]),
    ("applications", ["application_id", "session_no", "company_id", "project_name_zh", "industry_code",
                      "industry_raw", "source"]),
    ("published_stats", ["session_from", "session_to", "scope", "metric", "unit", "comparison", "decimals",
                         "publisher", "title", "published_on", "url", "source"]),
    ("product_terms", ["group_code", "name_zh", "name_en", "first_session", "last_session", "kind"]),
    ("named_firms", ["name_zh", "name_en"]),
]

DISTRICT_CODES = {"440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311",
                  "SZDP", "SZSS"}

ACCEPTED = [
    ("districts", "district_code", DISTRICT_CODES),
    ("districts", "kind", {"district", "new_area", "cooperation_zone"}),
    ("industries", "level", {"division", "group"}),
    ("records", "category", {"product_rd", "manufacturing", "modern_service"}),
    ("records", "award_level", {"national", "provincial", "municipal"}),
    ("company_profiles", "qualification", {"single_champion", "little_giant", "provincial_srdi", "municipal_srdi"}),
    ("published_stats", "comparison", {"eq", "between", "le", "reported"}),
    ("records", "programme_prize", {"gold", "silver", "excellence", "circular_economy", "innovation"}),
    ("records", "source", {"demo"}),
    ("companies", "source", {"demo"}),
    ("company_profiles", "source", {"demo"}),
    ("applications", "source", {"demo"}),
    ("meta", "key", {"build_id", "schema_version"}),
]

# (child table, child column, parent table, parent column)
FOREIGN_KEYS = [
    ("district_aliases", "district_code", "districts", "district_code"),
    ("industries", "parent_code", "industries", "industry_code"),
    ("companies", "district_code", "districts", "district_code"),
    ("records", "session_no", "sessions", "session_no"),
    ("records", "company_id", "companies", "company_id"),
    ("records", "industry_code", "industries", "industry_code"),
    ("records", "district_code", "districts", "district_code"),
    ("company_profiles", "session_no", "sessions", "session_no"),
    ("company_profiles", "company_id", "companies", "company_id"),
    ("company_profiles", "district_code", "districts", "district_code"),
    ("applications", "session_no", "sessions", "session_no"),
    ("applications", "company_id", "companies", "company_id"),
    ("applications", "industry_code", "industries", "industry_code"),
    ("applications", "record_id", "records", "record_id"),
    ("published_stats", "session_no", "sessions", "session_no"),
    ("published_stats", "session_from", "sessions", "session_no"),
    ("published_stats", "session_to", "sessions", "session_no"),
    ("product_terms", "group_code", "industries", "industry_code"),
    ("district_name_periods", "district_code", "districts", "district_code"),
]


@pytest.mark.parametrize("table", build_module.CONTRACT_TABLES)
def test_contract_table_exists(con, table):
    assert rows(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = $t", {"t": table}) == [(1,)]


@pytest.mark.parametrize(("table", "columns"), UNIQUE)
def test_unique(con, table, columns):
    dupes = rows(con, f"SELECT {columns}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 LIMIT 5")
    assert dupes == []


@pytest.mark.parametrize(("table", "column"), [(t, c) for t, cs in NOT_NULL for c in cs])
def test_not_null(con, table, column):
    assert rows(con, f"SELECT count(*) FROM {table} WHERE {column} IS NULL") == [(0,)]


@pytest.mark.parametrize(("table", "column", "accepted"), ACCEPTED)
def test_accepted_values(con, table, column, accepted):
    seen = {v for (v,) in rows(con, f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")}
    assert seen, f"{table}.{column} has no values"
    assert seen <= accepted, f"{table}.{column} has unexpected values {sorted(seen - accepted)}"


@pytest.mark.parametrize(("child", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_key_resolves(con, child, column, parent, key):
    orphans = rows(con, f"SELECT DISTINCT c.{column} FROM {child} c LEFT JOIN {parent} p ON p.{key} = c.{column} "
                        f"WHERE c.{column} IS NOT NULL AND p.{key} IS NULL LIMIT 5")
    assert orphans == []


def test_sessions_1_to_23_with_years(con):
    assert rows(con, "SELECT session_no, year FROM sessions ORDER BY session_no") == [
        (s, 2001 + s) for s in range(1, 24)]


def test_every_session_has_records_profiles_and_applications(con):
    for table in ("records", "company_profiles", "applications"):
        assert rows(con, f"SELECT list(DISTINCT session_no ORDER BY session_no) FROM {table}") == [
            (list(range(1, 24)),)], table


def test_districts_are_the_eleven_codes(con):
    assert {code for (code,) in rows(con, "SELECT district_code FROM districts")} == DISTRICT_CODES


def test_industry_hierarchy(con):
    assert rows(con, "SELECT count(*) FROM industries WHERE level = 'division' AND parent_code IS NOT NULL") == [(0,)]
    assert rows(con, "SELECT count(*) FROM industries g JOIN industries d ON d.industry_code = g.parent_code "
                     "WHERE g.level = 'group' AND (d.level <> 'division' OR left(g.industry_code, 3) <> "
                     "d.industry_code)") == [(0,)]
    assert rows(con, "SELECT count(*) FROM industries WHERE level = 'group' AND parent_code IS NULL") == [(0,)]


def test_records_point_at_groups(con):
    """Records carry a GB/T 4754 group (sub-industry); divisions are its first three characters."""
    levels = rows(con, "SELECT DISTINCT i.level FROM records r JOIN industries i USING (industry_code)")
    assert levels == [("group",)]


def test_categories_exist_from_session_21(con):
    assert rows(con, "SELECT count(*) FROM records WHERE session_no < 21 AND category IS NOT NULL") == [(0,)]
    assert rows(con, "SELECT count(*) FROM records WHERE session_no >= 21 AND category IS NULL") == [(0,)]


def test_every_record_has_an_approved_applicant_profile(con):
    missing = rows(con, "SELECT DISTINCT r.session_no, r.company_id FROM records r LEFT JOIN company_profiles p "
                        "USING (session_no, company_id) WHERE p.approved IS DISTINCT FROM TRUE LIMIT 5")
    assert missing == []
    without_records = rows(con, "SELECT p.session_no, p.company_id FROM company_profiles p WHERE p.approved "
                                "AND NOT EXISTS (SELECT 1 FROM records r WHERE r.session_no = p.session_no "
                                "AND r.company_id = p.company_id) LIMIT 5")
    assert without_records == []


def test_every_applicant_applied_and_every_record_was_an_application(con):
    assert rows(con, "SELECT count(*) FROM company_profiles p WHERE NOT EXISTS (SELECT 1 FROM applications a "
                     "WHERE a.session_no = p.session_no AND a.company_id = p.company_id)") == [(0,)]
    assert rows(con, "SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM applications a "
                     "WHERE a.record_id = r.record_id)") == [(0,)]
    assert rows(con, "SELECT count(*) FROM applications a JOIN records r USING (record_id) "
                     "WHERE a.session_no <> r.session_no OR a.company_id <> r.company_id") == [(0,)]


def test_record_ids_unique_per_application(con):
    assert rows(con, "SELECT record_id FROM applications WHERE record_id IS NOT NULL "
                     "GROUP BY record_id HAVING count(*) > 1") == []


def test_company_district_appears_in_its_records(con):
    """A company's district in companies is one of the districts its records were harmonised to."""
    odd = rows(con, "SELECT c.company_id FROM companies c WHERE c.company_id IN (SELECT company_id FROM records) "
                    "AND c.district_code NOT IN (SELECT district_code FROM records r "
                    "WHERE r.company_id = c.company_id) LIMIT 5")
    # Firms in today's Longhua/Guangming/Pingshan/Dapeng were listed under the parent district before their
    # area existed, so the company's district (today's) may be missing from old records only if it is one
    # of those areas.
    for (company_id,) in odd:
        (code,) = rows(con, "SELECT district_code FROM companies WHERE company_id = $c", {"c": company_id})[0]
        assert code in {"440309", "440310", "440311", "SZDP"}, company_id


# --- district spellings ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lookup(con):
    return build_module.district_lookup(con)


# How lists wrote each district, and the district it is today (written out by hand from the districts' history:
# Longhua, Pingshan and Guangming were new areas before they became districts; Dapeng is still a new area).
RAW_TO_CODE = {
    "罗湖": "440303", "罗湖区": "440303", "深圳市罗湖区": "440303",
    "福田": "440304", "福田区": "440304", "深圳市福田区": "440304",
    "南山": "440305", "南山区": "440305", "深圳市南山区": "440305",
    "宝安": "440306", "宝安区": "440306", "深圳市宝安区": "440306",
    "龙岗": "440307", "龙岗区": "440307", "深圳市龙岗区": "440307",
    "盐田": "440308", "盐田区": "440308", "深圳市盐田区": "440308",
    "龙华": "440309", "龙华区": "440309", "龙华新区": "440309", "深圳市龙华新区": "440309",
    "坪山": "440310", "坪山区": "440310", "坪山新区": "440310", "深圳市坪山新区": "440310",
    "光明": "440311", "光明区": "440311", "光明新区": "440311", "深圳市光明新区": "440311",
    "大鹏新区": "SZDP", "深圳市大鹏新区": "SZDP",
    "深汕特别合作区": "SZSS",
    "Nanshan District": "440305", "Bao’an": "440306", "Longhua New Area": "440309",
}


@pytest.mark.parametrize("table", ["records", "company_profiles"])
def test_district_raw_has_the_expected_code(con, table):
    pairs = rows(con, f"SELECT DISTINCT district_raw, district_code FROM {table}")
    assert len(pairs) > 10
    unknown = sorted(raw for raw, _ in pairs if raw not in RAW_TO_CODE)
    assert unknown == [], f"spellings without an expected code: add them to RAW_TO_CODE: {unknown}"
    wrong = [(raw, code, RAW_TO_CODE[raw]) for raw, code in pairs if RAW_TO_CODE[raw] != code]
    assert wrong == []


@pytest.mark.parametrize(("raw", "code"), sorted(RAW_TO_CODE.items()))
def test_district_lookup_gives_the_expected_code(lookup, raw, code):
    assert lookup[alias_key(raw)] == code


def test_alias_keys_are_stored_as_computed(con):
    stored = rows(con, "SELECT alias, alias_key FROM district_aliases")
    assert [(alias, alias_key(alias)) for alias, _ in stored] == stored


def test_each_alias_key_maps_to_exactly_one_district(con):
    assert rows(con, "SELECT alias_key, list(DISTINCT district_code) FROM district_aliases GROUP BY alias_key "
                     "HAVING count(DISTINCT district_code) > 1") == []


OFFICIAL_NAMES = [
    ("440303", "罗湖区", "Luohu"), ("440304", "福田区", "Futian"), ("440305", "南山区", "Nanshan"),
    ("440306", "宝安区", "Bao'an"), ("440307", "龙岗区", "Longgang"), ("440308", "盐田区", "Yantian"),
    ("440309", "龙华区", "Longhua"), ("440310", "坪山区", "Pingshan"), ("440311", "光明区", "Guangming"),
    ("SZDP", "大鹏新区", "Dapeng"), ("SZSS", "深汕特别合作区", "Shenshan"),
]


@pytest.mark.parametrize(("code", "name_zh", "name_en"), OFFICIAL_NAMES)
def test_each_district_has_its_official_name_as_alias(con, lookup, code, name_zh, name_en):
    assert rows(con, "SELECT name_zh, name_en FROM districts WHERE district_code = $c", {"c": code}) == \
        [(name_zh, name_en)]
    assert lookup[alias_key(name_zh)] == code
    assert lookup[alias_key(name_en)] == code


def test_old_spellings_kept_as_published(con):
    """Early lists name the parent district or the new area; district_raw keeps what was published."""
    raw_2014 = {raw for (raw,) in rows(con, "SELECT DISTINCT district_raw FROM records WHERE session_no = 13")}
    assert raw_2014 & {"龙华新区", "光明新区", "坪山新区", "大鹏新区"}
    raw_2005 = {raw for (raw,) in rows(con, "SELECT DISTINCT district_raw FROM records WHERE session_no = 4")}
    assert not raw_2005 & {"龙华区", "龙华新区", "光明区", "光明新区", "坪山区", "坪山新区", "大鹏新区"}


# --- credit codes and provenance ---------------------------------------------------------------------------

USCC_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}")


@pytest.mark.parametrize("table", ["companies", "records", "company_profiles", "applications"])
def test_demo_credit_codes_are_shaped_like_uscc_but_fail_its_check_digit(con, table):
    """Nobody can look a demo code up and find a real firm: python-stdnum rejects every one."""
    ids = [cid for (cid,) in rows(con, f"SELECT DISTINCT company_id FROM {table} WHERE source = 'demo'")]
    assert ids, f"no demo companies in {table}"
    assert [cid for cid in ids if not (len(cid) == 18 and USCC_SHAPE.fullmatch(cid))] == []
    assert [cid for cid in ids if uscc.is_valid(cid)] == []


def test_demo_company_names_carry_the_marker(con):
    names = rows(con, "SELECT name_zh, name_en FROM companies WHERE source = 'demo'")
    assert len(names) > 1000
    assert [n for n in names if not (n[0].startswith("【演示】") and n[1].startswith("(Demo) "))] == []


@pytest.mark.parametrize("firm", ["凯盛", "川科技", "致君", "镭神", "宏美", "Kaisheng", "Chuan Technology", "Zhijun",
                                  "Leishen", "Hongmei"])
def test_no_demo_company_is_a_firm_named_in_the_press_release(con, firm):
    assert rows(con, "SELECT count(*) FROM companies WHERE name_zh ILIKE '%' || $f || '%' "
                     "OR name_en ILIKE '%' || $f || '%'", {"f": firm}) == [(0,)]


def test_demo_build_has_no_imports(con):
    assert rows(con, "SELECT count(*) FROM import_log") == [(0,)]


def test_meta_build_id(con):
    (build_id,), = rows(con, "SELECT value FROM meta WHERE key = 'build_id'")
    assert re.fullmatch(r"[0-9a-f]{12}", build_id)


# --- determinism -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    directory = tmp_path_factory.mktemp("twice")
    return build_module.build(directory / "a.duckdb"), build_module.build(directory / "b.duckdb")


def checksums(path) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        sums = {t: build_module.table_checksum(connection, t) for t in build_module.CONTRACT_TABLES}
        sums["meta.build_id"] = connection.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()[0]
    return sums


def test_two_builds_are_identical(two_builds, built_db):
    first, second = (checksums(p) for p in two_builds)
    assert first == second
    assert checksums(built_db) == first


@pytest.mark.parametrize("table", ["sessions", "records", "company_profiles"])
def test_checksum_ignores_row_order_but_not_content(built_db, table):
    with duckdb.connect() as connection:
        connection.execute(f"ATTACH '{built_db}' AS built (READ_ONLY)")  # path from our own fixture
        original = build_module.table_checksum(connection, f"built.{table}")
        connection.execute(f"CREATE TABLE shuffled AS SELECT * FROM built.{table} ORDER BY hash(rowid) DESC")
        assert build_module.table_checksum(connection, "shuffled") == original
        connection.execute("DELETE FROM shuffled WHERE rowid = (SELECT min(rowid) FROM shuffled)")
        assert build_module.table_checksum(connection, "shuffled") != original


def test_build_leaves_no_temporary_files(two_builds):
    directory = two_builds[0].parent
    assert sorted(p.name for p in directory.iterdir() if ".tmp-" in p.name) == []


# --- sessions and citations ----------------------------------------------------------------------------------


def test_session_13_already_carries_the_innovation_records_name(con):
    assert rows(con, "SELECT name_zh, programme_name_zh, name_attested FROM sessions WHERE session_no = 13") == [
        ("第十三届深圳企业创新纪录", "深圳企业创新纪录", True)]
    assert rows(con, "SELECT programme_name_zh FROM sessions WHERE session_no = 12") == [("深圳企业新纪录",)]
    (note,), = rows(con, "SELECT note_zh FROM sessions WHERE session_no = 13")
    assert "深圳企业新纪录" in note and "2015-01-16" in note


def test_session_23_note_cites_the_press_release(con):
    """Title, publisher (the release names none, and the note says so), date and address, in both languages."""
    (zh, en), = rows(con, "SELECT note_zh, note_en FROM sessions WHERE session_no = 23")
    for note in (zh, en):
        assert "Shenzhen adds 216 more “corporate innovation records”" in note
        assert "2024-10-30" in note and "http://www.gznews.com/?p=1406" in note
    assert "未署发布者" in zh and "publisher not named" in en


def test_no_data_or_interface_text_cites_a_seed_article():
    """"Seed article" was a working name for the press release, not a source a reader can look up."""
    files = [*ROOT.glob("data/**/*.csv"), *ROOT.glob("data/*.sql"), *ROOT.glob("queries/**/*.sql"),
             *ROOT.glob("locales/*.toml"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("core/**/*.py"),
             ROOT / "dashboard.py"]
    assert len(files) > 50
    cited = [str(f.relative_to(ROOT)) for f in files
             if re.search(r"seed article|种子文章", f.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert cited == []


@pytest.mark.parametrize(("session", "organiser"), [(1, "深圳工经联"), (2, "深圳工经联"), (11, "深圳工业总会"),
                                                    (23, "深圳工业总会")])
def test_organiser_named_as_in_its_years(con, session, organiser):
    assert rows(con, "SELECT organiser_zh FROM sessions WHERE session_no = $s", {"s": session}) == [(organiser,)]


def test_every_published_figure_carries_a_full_citation(con):
    cited = rows(con, "SELECT publisher, title, published_on::VARCHAR, url, source FROM published_stats")
    assert len(cited) >= 45
    for publisher, title, date, url, source in cited:
        assert publisher and title and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and url.startswith("http")
        assert all(part in source for part in (publisher, title, date, url))
