"""Deterministic demo dataset, calibrated so that every published figure in DESIGN.md holds exactly.

Record-level lists of past sessions are not bundled, so the default database carries generated companies,
records, applications and applicant profiles. The known points (published totals) are hard targets; between
them the shape is a believable guess (growth, district and industry mix, repeat innovators). Everything is
drawn from one seeded `random.Random`, so the same code gives the same rows on every machine.
Every row is marked source='demo'. Tests check the published figures through the named queries, not here.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from stdnum.cn import uscc

from core import demo_vocab as vocab
from core.districts import name_in_year

SEED = 20021123
SOURCE = "demo"
RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SESSIONS = range(1, 24)

# Per-session targets. Published: s1 (104/52), s11 (136), sums over 1-20, 1-22 and 1-23, and session 23.
RECORDS = [104, 112, 118, 125, 131, 127, 138, 142, 147, 140, 136, 158, 165, 172, 178, 185, 190, 196, 192,
           197, 203, 212, 216]
COMPANIES = [52, 56, 59, 62, 65, 63, 68, 70, 73, 70, 68, 79, 82, 86, 89, 92, 95, 98, 96, 99, 150, 158, 159]
DIVISIONS = [14, 15, 16, 17, 18, 18, 19, 20, 20, 21, 21, 22, 22, 23, 23, 24, 24, 25, 25, 26, 26, 25, 24]
FIXED_APPLICANTS = {1: 66, 21: 156, 22: 161, 23: 163}
FIXED_APPLICATIONS = {1: 139}
# (product_rd, manufacturing, modern_service); categories exist from session 21 on.
CATEGORIES = {21: (141, 32, 30), 22: (147, 33, 32), 23: (148, 33, 35)}
FIXED_AWARDS = {23: {"national": 3, "provincial": 5, "municipal": 7}}
FIXED_HIGH_TECH = {23: 139}
FIXED_QUALIFICATIONS = {
    22: {"single_champion": 19, "little_giant": 20, "provincial_srdi": 19, "municipal_srdi": 52},
    23: {"single_champion": 24, "little_giant": 23, "provincial_srdi": 22, "municipal_srdi": 54},
}
FIXED_REVENUE_MEAN = {23: 862_000_000}
QUALIFICATION_SINCE = {"single_champion": 15, "provincial_srdi": 15, "municipal_srdi": 17, "little_giant": 18}
QUALIFICATION_MIX = {"single_champion": 0.15, "little_giant": 0.17, "provincial_srdi": 0.18, "municipal_srdi": 0.5}

# Session 23: the seed's district order (Nanshan, Bao'an, Longhua, Guangming) and 24 named divisions.
S23_APPROVED_BY_DISTRICT = {"440305": 50, "440306": 33, "440309": 21, "440311": 16, "440307": 12,
                            "440304": 10, "440310": 6, "440303": 4, "440308": 3, "SZDP": 2, "SZSS": 2}
S23_REJECTED_BY_DISTRICT = {"440304": 1, "440307": 1, "440303": 1, "440310": 1}
S23_SERVICE = ["I65", "I64", "M73", "M74", "L72", "G59", "N77"]
S23_GOODS = ["C39", "C34", "C27", "C35", "C38", "C40", "C26", "C29", "C33", "C36", "C17", "C30", "C14",
             "C32", "D44", "C24", "E48"]
S1_GROUPS = {"钟表": ["C403"], "旅游": ["N786"], "会展": ["L728"], "港口": ["G553"], "装饰": ["E501"],
             "工程": ["E481"], "船舶": ["C373"], "电力": ["D441", "D442"], "石化": ["C261", "C265"]}

# Relative weight of a division among records (unlisted divisions weigh 1).
DIVISION_WEIGHT = {"C39": 30, "I65": 18, "C38": 10, "C35": 10, "C34": 9, "C40": 7, "C27": 7, "C26": 4,
                   "C36": 4, "C33": 3, "C29": 3, "I64": 4, "M73": 3, "M74": 2, "C30": 2, "C37": 2, "D44": 2,
                   "E48": 2, "L72": 2, "C14": 2, "C24": 2}
# District weights at session 1 and session 23 (today's districts); interpolated in between.
DISTRICT_WEIGHT_EARLY = {"440305": 24, "440306": 17, "440309": 8, "440304": 14, "440307": 12, "440311": 3,
                         "440303": 9, "440310": 3, "440308": 2.5, "SZDP": 1, "SZSS": 0}
DISTRICT_WEIGHT_LATE = {"440305": 31, "440306": 18, "440309": 11, "440304": 9, "440307": 11, "440311": 6,
                        "440303": 4, "440310": 4, "440308": 2, "SZDP": 1.5, "SZSS": 1}
SHENSHAN_FROM = 18


def apportion(total: int, weights: list[float], minimum: int = 0, caps: list[int] | None = None) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each within [minimum, cap]."""
    n = len(weights)
    caps = caps or [total] * n
    if minimum * n > total or sum(caps) < total:
        raise ValueError(f"cannot split {total} into {n} parts within [{minimum}, caps]")
    shares = [minimum] * n
    while sum(shares) < total:
        open_ = [i for i in range(n) if shares[i] < caps[i]]
        left = total - sum(shares)
        weight = sum(weights[i] for i in open_) or len(open_)
        exact = {i: left * (weights[i] / weight if weight else 1 / len(open_)) for i in open_}
        grant = {i: min(caps[i] - shares[i], math.floor(exact[i])) for i in open_}
        if sum(grant.values()) == 0:
            order = sorted(open_, key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
            grant = {order[0]: 1}
        for i, g in grant.items():
            shares[i] += g
    return shares


@dataclass
class Company:
    company_id: str
    name_zh: str
    name_en: str
    district_code: str
    division: str
    strength: float
    approvals: list[int] = field(default_factory=list)
    applied: list[int] = field(default_factory=list)


@dataclass
class SessionDraw:
    approved: list[Company]
    rejected: list[Company]
    records_of: dict[str, int]


class DemoGenerator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.industries = _read_csv("industries.csv")
        self.district_names = {r["district_code"]: r["name_zh"] for r in _read_csv("districts.csv")}
        self.divisions = [r["industry_code"] for r in self.industries if r["level"] == "division"]
        self.groups = {d: [r["industry_code"] for r in self.industries if r["parent_code"] == d]
                       for d in self.divisions}
        self.industry_names = {r["industry_code"]: (r["name_zh"], r["name_en"]) for r in self.industries}
        self.session1 = [r for r in _read_csv("session1_industries.csv")]
        self.companies: list[Company] = []
        self.brands: set[str] = set()
        self.records: list[dict] = []
        self.profiles: list[dict] = []
        self.applications: list[dict] = []
        self.project_names: dict[int, set[str]] = {}  # per session: a list never names one project twice
        self.guaranteed = self._guarantee_divisions()

    # ----- plan --------------------------------------------------------------------------------------
    def _guarantee_divisions(self) -> dict[int, list[str]]:
        """Spread every division over sessions 2-20 so the '50+ industries by session 20' figure holds."""
        rare = sorted(self.divisions, key=lambda d: DIVISION_WEIGHT.get(d, 1))
        plan: dict[int, list[str]] = {s: [] for s in range(2, 21)}
        for i, division in enumerate(rare):
            plan[2 + i % 19].append(division)
        return plan

    def _choose_divisions(self, s: int) -> list[str]:
        if s == 1:
            return [r["industry_code"] for r in self.session1 if int(r["records"]) > 0]
        if s == 23:
            return S23_SERVICE + S23_GOODS
        chosen = list(self.guaranteed.get(s, []))
        pool = [d for d in self.divisions if d not in chosen]
        while len(chosen) < DIVISIONS[s - 1]:
            d = self._weighted(pool, [DIVISION_WEIGHT.get(p, 1) for p in pool])
            pool.remove(d)
            chosen.append(d)
        if s in CATEGORIES and not any(_is_service(d) for d in chosen):
            chosen[-1] = "I65"
        return chosen

    def _records_by_division(self, s: int, divisions: list[str]) -> dict[str, int]:
        if s == 1:
            return {r["industry_code"]: int(r["records"]) for r in self.session1 if int(r["records"]) > 0}
        weights = [DIVISION_WEIGHT.get(d, 1) * (0.6 + self.rng.random()) for d in divisions]
        if s not in CATEGORIES:
            return dict(zip(divisions, apportion(RECORDS[s - 1], weights, minimum=1)))
        service_total = CATEGORIES[s][2]
        result = {}
        for is_service, total in ((True, service_total), (False, RECORDS[s - 1] - service_total)):
            part = [(d, w) for d, w in zip(divisions, weights) if _is_service(d) == is_service]
            counts = apportion(total, [w for _, w in part], minimum=1)
            result.update({d: c for (d, _), c in zip(part, counts)})
        return result

    def _district_quota(self, s: int, total: int) -> dict[str, int]:
        t = (s - 1) / 22
        codes = list(DISTRICT_WEIGHT_LATE)
        weights = [(1 - t) * DISTRICT_WEIGHT_EARLY[c] + t * DISTRICT_WEIGHT_LATE[c] for c in codes]
        weights = [0 if c == "SZSS" and s < SHENSHAN_FROM else w for c, w in zip(codes, weights)]
        return dict(zip(codes, apportion(total, weights)))

    # ----- companies ---------------------------------------------------------------------------------
    def _weighted(self, items: list, weights: list[float]):
        pick = self.rng.random() * sum(weights)
        for item, weight in zip(items, weights):
            pick -= weight
            if pick < 0:
                return item
        return items[-1]

    def _new_company(self, division: str, district: str, name: tuple[str, str] | None = None) -> Company:
        n = len(self.companies) + 1
        zh, en = name or self._company_name(division)
        company = Company(_credit_code(n, district), zh, en, district, division,
                          strength=self.rng.lognormvariate(0, 0.8))
        self.companies.append(company)
        return company

    def _company_name(self, division: str) -> tuple[str, str]:
        words = (vocab.COMPANY_WORDS.get(division) or vocab.COMPANY_WORDS.get(division[0])
                 or vocab.COMPANY_WORDS["*"])
        while True:
            (a, pa), (b, pb) = self.rng.sample(vocab.SYLLABLES, 2)
            if a + b not in self.brands:
                break
        self.brands.add(a + b)
        word_zh, word_en = words[self.rng.randrange(len(words))]
        listed = self.rng.random() < 0.12
        suffix_zh, suffix_en = ("股份有限公司", "Co., Ltd. (joint-stock)") if listed else ("有限公司", "Co., Ltd.")
        return f"深圳市{a}{b}{word_zh}{suffix_zh}", f"Shenzhen {pa}{pb.lower()} {word_en} {suffix_en}"

    def _pick_company(self, s: int, division: str, quota: dict[str, int], taken: set[str],
                      returning_rate: float) -> Company:
        if self.rng.random() < returning_rate:
            pool = [c for c in self.companies if c.division == division and c.company_id not in taken
                    and c.approvals and quota.get(c.district_code, 0) > 0]
            if pool:
                weights = [(1 + len(c.approvals)) * c.strength / (1 + (s - c.approvals[-1]) / 3) for c in pool]
                return self._weighted(pool, weights)
        open_districts = [d for d, left in quota.items() if left > 0]
        district = self._weighted(open_districts, [quota[d] for d in open_districts])
        return self._new_company(division, district)

    def _draw_approved(self, s: int, by_division: dict[str, int]) -> tuple[list[Company], dict[str, int]]:
        quota = dict(S23_APPROVED_BY_DISTRICT) if s == 23 else self._district_quota(s, COMPANIES[s - 1])
        divisions = list(by_division)
        per_division = apportion(COMPANIES[s - 1], [by_division[d] for d in divisions], minimum=1,
                                 caps=[by_division[d] for d in divisions])
        returning_rate = 0.4 if s > 20 else 0.1 + 0.3 * (s - 1) / 19
        chosen: list[Company] = []
        taken: set[str] = set()
        pinned = self._seed_companies() if s == 23 else []
        for division, count in zip(divisions, per_division):
            picks = [c for c in pinned if c.division == division][:count]
            for c in picks:
                quota[c.district_code] -= 1
            while len(picks) < count:
                company = self._pick_company(s, division, quota, taken | {c.company_id for c in picks},
                                             returning_rate)
                picks.append(company)
                quota[company.district_code] -= 1
            chosen += picks
            taken.update(c.company_id for c in picks)
        records_of = {}
        for division, total in by_division.items():
            group = [c for c in chosen if c.division == division]
            counts = apportion(total, [c.strength + self.rng.random() for c in group], minimum=1)
            records_of.update({c.company_id: n for c, n in zip(group, counts)})
        return chosen, records_of

    def _seed_companies(self) -> list[Company]:
        return [self._new_company(group[:3], district, (zh, en))
                for zh, en, district, group in vocab.SEED_COMPANIES]

    def _draw_rejected(self, s: int, approved: list[Company], divisions: list[str]) -> list[Company]:
        total = self._applicant_total(s) - len(approved)
        quota = dict(S23_REJECTED_BY_DISTRICT) if s == 23 else self._district_quota(s, total)
        taken = {c.company_id for c in approved}
        rejected = []
        for i in range(total):
            division = "C18" if s == 1 and i == 0 else divisions[self.rng.randrange(len(divisions))]
            company = self._pick_company(s, division, quota, taken, 0.3)
            quota[company.district_code] -= 1
            taken.add(company.company_id)
            rejected.append(company)
        return rejected

    def _applicant_total(self, s: int) -> int:
        return FIXED_APPLICANTS.get(s) or round(COMPANIES[s - 1] * (1.25 - 0.17 * (s - 2) / 18))

    # ----- rows --------------------------------------------------------------------------------------
    def run(self) -> dict[str, pd.DataFrame]:
        for s in SESSIONS:
            divisions = self._choose_divisions(s)
            by_division = self._records_by_division(s, divisions)
            approved, records_of = self._draw_approved(s, by_division)
            rejected = self._draw_rejected(s, approved, divisions)
            draw = SessionDraw(approved, rejected, records_of)
            self._emit_records(s, draw)
            self._emit_applications(s, draw)
            self._emit_profiles(s, draw)
        return self._frames()

    def _emit_records(self, s: int, draw: SessionDraw) -> None:
        year = 2001 + s
        style = "深圳市" if 7 <= s <= 12 else ""
        rows = []
        for company in draw.approved:
            company.approvals.append(s)
            for _ in range(draw.records_of[company.company_id]):
                group, raw_industry = self._record_industry(s, company)
                zh, en = self._project_name(s, group)
                rows.append({
                    "record_id": f"R{s:02d}-{len(rows) + 1:04d}", "session_no": s,
                    "company_id": company.company_id, "project_name_zh": zh, "project_name_en": en,
                    "category": None, "industry_code": group, "industry_raw": raw_industry,
                    "district_raw": self._district_raw(company.district_code, year, style),
                    "award_level": None, "source": SOURCE, "_strength": company.strength,
                })
        self._assign_categories(s, rows)
        self._assign_awards(s, rows)
        self.records += rows

    def _record_industry(self, s: int, company: Company) -> tuple[str, str]:
        if s == 1:
            raw = next(r["industry_raw"] for r in self.session1 if r["industry_code"] == company.division)
            options = S1_GROUPS.get(raw, self.groups[company.division])
            return options[self.rng.randrange(len(options))], raw
        options = self.groups[company.division]
        group = options[min(int(self.rng.expovariate(1.6)), len(options) - 1)]
        return group, self.industry_names[company.division][0]

    def _project_name(self, s: int, group: str) -> tuple[str, str]:
        """A project name not yet used in session `s`. The random draw is the same as for any name; on a clash
        the other claim and prefix wordings are tried in a fixed order (no further draws, so the rest of the
        dataset does not move), then a new generation is numbered."""
        used = self.project_names.setdefault(s, set())
        claims = vocab.CLAIMS
        prefixes = vocab.PREFIXES_EARLY if s <= 12 else vocab.PREFIXES_LATE
        claim = self.rng.randrange(len(claims))
        prefix = self.rng.randrange(len(prefixes))
        products = [p for p in vocab.PRODUCTS.get(group[:3], []) if p[2] <= s]
        if products:
            zh, en, _ = products[self.rng.randrange(len(products))]
        else:
            name_zh, name_en = self.industry_names[group]
            kind = ("服务平台", "service platform") if _is_service(group) else ("关键工艺", "process")
            zh, en = f"{name_zh}{kind[0]}", f"{name_en.lower()} {kind[1]}"

        def name(c: int, p: int, generation: int = 1) -> tuple[str, str]:
            (claim_zh, claim_en), (pre_zh, pre_en) = claims[c % len(claims)], prefixes[p % len(prefixes)]
            if generation == 1:
                return f"{claim_zh}{pre_zh}{zh}", f"{claim_en} {pre_en} {en}"
            return f"{claim_zh}{pre_zh}{zh}（第{generation}代）", f"{claim_en} {pre_en} {en} (generation {generation})"

        candidates = (name(claim + i, prefix + j) for i in range(len(claims)) for j in range(len(prefixes)))
        chosen = next((c for c in candidates if c[0] not in used), None)
        generation = 2
        while chosen is None:
            candidate = name(claim, prefix, generation)
            chosen = candidate if candidate[0] not in used else None
            generation += 1
        used.add(chosen[0])
        return chosen

    def _district_raw(self, code: str, year: int, style: str) -> str:
        name = name_in_year(code, self.district_names[code], year)
        if name.endswith("区") and len(name) == 3 and self.rng.random() < 0.08:
            return name[:-1]
        return style + name

    def _assign_categories(self, s: int, rows: list[dict]) -> None:
        if s not in CATEGORIES:
            return
        goods = [r for r in rows if not _is_service(r["industry_code"])]
        manufacturing = set(id(r) for r in self.rng.sample(goods, CATEGORIES[s][1]))
        for r in rows:
            if _is_service(r["industry_code"]):
                r["category"] = "modern_service"
            else:
                r["category"] = "manufacturing" if id(r) in manufacturing else "product_rd"

    def _assign_awards(self, s: int, rows: list[dict]) -> None:
        levels = FIXED_AWARDS.get(s)
        if levels is None:
            rate = 0.02 if s <= 4 else 0.04 if s <= 10 else 0.06 if s <= 15 else 0.09
            levels = dict(zip(["national", "provincial", "municipal"],
                              apportion(round(len(rows) * rate), [0.15, 0.35, 0.5])))
        ranked = sorted(rows, key=lambda r: -self.rng.random() * (1 + 0.3 * math.log1p(r["_strength"])))
        per_company: dict[str, int] = {}
        eligible = []
        for r in ranked:  # a firm with many records should not sweep the awards
            if per_company.get(r["company_id"], 0) < 2:
                per_company[r["company_id"]] = per_company.get(r["company_id"], 0) + 1
                eligible.append(r)
        it = iter(eligible)
        for level, count in levels.items():
            for _ in range(count):
                next(it)["award_level"] = level

    def _emit_applications(self, s: int, draw: SessionDraw) -> None:
        session_records = [r for r in self.records if r["session_no"] == s]
        rows = [{"application_id": f"A{s:02d}-{i + 1:04d}", "session_no": s, "company_id": r["company_id"],
                 "project_name_zh": r["project_name_zh"], "industry_code": r["industry_code"],
                 "industry_raw": r["industry_raw"], "record_id": r["record_id"], "source": SOURCE}
                for i, r in enumerate(session_records)]
        total = FIXED_APPLICATIONS.get(s, round(len(session_records) * (1.3 - 0.15 * (s - 1) / 22)))
        rejected_projects = max(len(draw.rejected), total - len(session_records))
        applicants = draw.rejected + [self._weighted(draw.approved + draw.rejected,
                                                     [1.0] * (len(draw.approved) + len(draw.rejected)))
                                      for _ in range(rejected_projects - len(draw.rejected))]
        for company in applicants:
            group, raw = self._rejected_industry(s, company)
            zh, _ = self._project_name(s, group)
            rows.append({"application_id": f"A{s:02d}-{len(rows) + 1:04d}", "session_no": s,
                         "company_id": company.company_id, "project_name_zh": zh, "industry_code": group,
                         "industry_raw": raw, "record_id": None, "source": SOURCE})
        self.applications += rows

    def _rejected_industry(self, s: int, company: Company) -> tuple[str, str]:
        if s == 1 and company.division == "C18":
            return "C181", "服装"
        return self._record_industry(s, company)

    def _emit_profiles(self, s: int, draw: SessionDraw) -> None:
        applicants = [(c, True) for c in draw.approved] + [(c, False) for c in draw.rejected]
        year = 2001 + s
        rows = []
        for company, approved in applicants:
            company.applied.append(s)
            rows.append({"session_no": s, "company_id": company.company_id, "approved": approved,
                         "is_high_tech": False, "annual_revenue_cny": 0, "qualification": None,
                         "district_raw": self._district_raw(company.district_code, year, ""),
                         "source": SOURCE, "_company": company})
        self._assign_high_tech(s, rows)
        self._assign_qualifications(s, rows)
        self._assign_revenue(s, rows)
        self.profiles += rows

    def _ranked(self, rows: list[dict], spread: float) -> list[dict]:
        return sorted(rows, key=lambda r: -(r["_company"].strength * self.rng.uniform(1 - spread, 1 + spread)))

    def _assign_high_tech(self, s: int, rows: list[dict]) -> None:
        share = 0.38 + (0.83 - 0.38) * (s - 1) / 21
        count = FIXED_HIGH_TECH.get(s, round(len(rows) * share))
        for r in self._ranked(rows, 0.9)[:count]:
            r["is_high_tech"] = True

    def _assign_qualifications(self, s: int, rows: list[dict]) -> None:
        counts = FIXED_QUALIFICATIONS.get(s) or self._qualification_counts(s, len(rows))
        it = iter(self._ranked(rows, 0.6))
        for kind, count in counts.items():
            for _ in range(count):
                next(it)["qualification"] = kind

    def _qualification_counts(self, s: int, applicants: int) -> dict[str, int]:
        share = {15: 0.05, 16: 0.10, 17: 0.18, 18: 0.30, 19: 0.42, 20: 0.52, 21: 0.60}.get(s, 0.0)
        kinds = [k for k, since in QUALIFICATION_SINCE.items() if s >= since]
        order = [k for k in QUALIFICATION_MIX if k in kinds]
        return dict(zip(order, apportion(round(applicants * share), [QUALIFICATION_MIX[k] for k in order])))

    def _assign_revenue(self, s: int, rows: list[dict]) -> None:
        mean = FIXED_REVENUE_MEAN.get(s, 280_000_000 * (800 / 280) ** ((s - 1) / 21))
        raw = [r["_company"].strength * self.rng.lognormvariate(0, 0.6) for r in rows]
        unit = 10_000  # lists give revenue in 万元
        total_units = round(mean * len(rows) / unit)
        units = [max(1, round(x / sum(raw) * total_units)) for x in raw]
        largest = units.index(max(units))
        units[largest] += total_units - sum(units)
        for r, u in zip(rows, units):
            r["annual_revenue_cny"] = u * unit

    def _frames(self) -> dict[str, pd.DataFrame]:
        companies = pd.DataFrame([{"company_id": c.company_id, "name_zh": c.name_zh, "name_en": c.name_en,
                                   "district_code": c.district_code, "source": SOURCE}
                                  for c in self.companies if c.applied])
        records = pd.DataFrame(self.records).drop(columns=["_strength"])
        profiles = pd.DataFrame(self.profiles).drop(columns=["_company"])
        return {"companies": companies, "records": records, "company_profiles": profiles,
                "applications": pd.DataFrame(self.applications)}


def _is_service(code: str) -> bool:
    return code[0] >= "F"


def _credit_code(n: int, district: str) -> str:
    """A well-formed unified social credit code (valid check digit), unique per demo company."""
    region = district if district.isdigit() else "440300"
    body = f"91{region}MA5{n:05d}X"
    body = body[:17]
    return body + uscc.calc_check_digit(body)


def _read_csv(name: str) -> list[dict]:
    with open(RAW / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def generate() -> dict[str, pd.DataFrame]:
    """companies, records, company_profiles and applications of the demo dataset."""
    return DemoGenerator().run()
