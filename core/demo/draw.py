"""Drawing: which demo companies and projects fill the planned counts. Everything random comes from one seeded
`random.Random`, so the same inputs give the same rows on every machine; every count comes from core.demo.plan.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from core import sessions
from core.demo import names, plan, write
from core.demo.inputs import Published, Shape, concentration_bounds, reference
from core.districts import name_in_year

SEED = 20021123
BOUNDS = concentration_bounds()  # the plausibility checks' bounds: the demo stays within them
MAX_RECORDS_PER_COMPANY = BOUNDS["records_per_company_session"]  # also: never one product twice in a list
MAX_RECORDS_OVERALL = BOUNDS["records_per_company_overall"]
PRIZE_KINDS_ON_RECORDS = {"gold", "silver", "excellence", "circular_economy", "innovation"}


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
    records: int = 0  # over the sessions drawn so far


class DemoGenerator:
    def __init__(self, published: Published | None = None, shape: Shape | None = None) -> None:
        self.published = published or Published.load()
        self.shape = shape or Shape.load()
        self.plans = plan.plan_sessions(self.published, self.shape)
        self.rng = random.Random(SEED)
        ref = reference()
        self.industry_names, self.district_names = ref["industry_names"], ref["district_names"]
        pool = self.shape.industries
        self.division_weight = {r["industry_code"]: float(r["weight"]) for r in pool if r["level"] == "division"}
        self.session23_divisions = [r["industry_code"] for r in pool if r["in_session_23"] == "yes"]
        self.groups = {d: [(r["industry_code"], float(r["weight"])) for r in pool
                           if r["level"] == "group" and r["industry_code"][:3] == d] for d in self.division_weight}
        self.session1 = self.shape.session1
        self.guaranteed = plan.spread(sorted(g for gs in self.groups.values() for g, _ in gs), list(range(2, 21)))
        self.companies: list[Company] = []
        self.brands: set[str] = set()
        self.english_names: set[str] = set()
        self.records: list[dict] = []
        self.profiles: list[dict] = []
        self.applications: list[dict] = []
        self.used_names: dict[int, set[str]] = {}          # a list never names one project twice
        self.used_products: dict[tuple[int, str], set[str]] = {}  # nor lists a firm's product twice

    def run(self) -> dict:
        for s in plan.SESSIONS:
            self._session(s)
        return write.frames(self.companies, self.records, self.profiles, self.applications)

    def _session(self, s: int) -> None:
        p = self.plans[s]
        divisions = self._choose_divisions(s, p)
        by_division = self._records_by_division(s, p, divisions)
        pending = {g[:3]: [x for x in self.guaranteed.get(s, []) if x[:3] == g[:3]] for g in self.guaranteed.get(s, [])}
        approved, records_of = self._draw_approved(s, p, by_division)
        rejected = self._draw_rejected(s, p, approved, divisions)
        self._emit_records(s, p, approved, records_of, pending)
        self._emit_applications(s, p, approved, rejected)
        self._emit_profiles(s, p, approved, rejected)

    # ----- industries --------------------------------------------------------------------------------
    def _weighted(self, items: list, weights: list[float]):
        pick = self.rng.random() * sum(weights)
        for item, weight in zip(items, weights):
            pick -= weight
            if pick < 0:
                return item
        return items[-1]

    def _session1_rows(self, approved: bool = True) -> list[dict]:
        return [r for r in self.session1 if (r["records"] != "0") == approved]

    def _session1_records(self, row: dict) -> int:
        published = self.published.texts(1, "records_in_published_industry")
        return int(published[row["industry_raw"]]) if row["industry_raw"] in published else int(row["records"])

    def _choose_divisions(self, s: int, p: plan.SessionPlan) -> list[str]:
        if s == 1:
            return [r["industry_code"] for r in self._session1_rows()]
        if s == 23:
            return list(self.session23_divisions)
        chosen = list(dict.fromkeys(g[:3] for g in self.guaranteed.get(s, [])))
        pool = [d for d in self.division_weight if d not in chosen]
        while len(chosen) < p.divisions:
            d = self._weighted(pool, [self.division_weight[x] for x in pool])
            pool.remove(d)
            chosen.append(d)
        if p.categories and not any(names.is_service(d) for d in chosen):
            chosen[-1] = "I65"
        return chosen

    def _records_by_division(self, s: int, p: plan.SessionPlan, divisions: list[str]) -> dict[str, int]:
        if s == 1:
            return {r["industry_code"]: self._session1_records(r) for r in self._session1_rows()}
        weights = [self.division_weight[d] * (0.6 + self.rng.random()) for d in divisions]
        if not p.categories:
            return dict(zip(divisions, plan.apportion(p.records, weights, minimum=1)))
        result = {}
        service_total = p.categories["modern_service"]
        for is_service, total in ((True, service_total), (False, p.records - service_total)):
            part = [(d, w) for d, w in zip(divisions, weights) if names.is_service(d) == is_service]
            counts = plan.apportion(total, [w for _, w in part], minimum=1)
            result.update({d: c for (d, _), c in zip(part, counts)})
        return result

    def _group(self, s: int, division: str, pending: dict[str, list[str]]) -> tuple[str, str]:
        """A record's GB/T group and its industry as the list printed it."""
        if s == 1:
            row = next(r for r in self.session1 if r["industry_code"] == division)
            options = row["groups"].split()
            return options[self.rng.randrange(len(options))], row["industry_raw"]
        raw = self.industry_names[division][0]
        if pending.get(division):
            return pending[division].pop(0), raw
        groups = self.groups[division]
        return self._weighted([g for g, _ in groups], [w for _, w in groups]), raw

    # ----- companies ---------------------------------------------------------------------------------
    def _new_company(self, division: str, district: str) -> Company:
        zh, en = names.company_name(self.rng, division, self.brands, self.english_names)
        company = Company(names.credit_code(len(self.companies) + 1, district), zh, en, district, division,
                          strength=self.rng.lognormvariate(0, 0.8))
        self.companies.append(company)
        return company

    def _pick_company(self, s: int, division: str, quota: dict[str, int], taken: set[str],
                      returning_rate: float) -> Company:
        if self.rng.random() < returning_rate:
            pool = [c for c in self.companies if c.division == division and c.company_id not in taken
                    and c.approvals and quota.get(c.district_code, 0) > 0 and c.records < MAX_RECORDS_OVERALL]
            if pool:
                # a track record helps a firm return, with diminishing weight, so no firm sweeps the lists
                weights = [math.sqrt(1 + len(c.approvals)) * c.strength / (1 + (s - c.approvals[-1]) / 3) for c in pool]
                return self._weighted(pool, weights)
        open_districts = [d for d, left in quota.items() if left > 0]
        district = self._weighted(open_districts, [quota[d] for d in open_districts])
        return self._new_company(division, district)

    def _quota(self, s: int, total: int, column: str) -> dict[str, int]:
        if s == 23:
            return {d["district_code"]: int(d[column]) for d in self.shape.districts if int(d[column])}
        return plan.district_quota(s, total, self.shape.districts)

    def _draw_approved(self, s: int, p: plan.SessionPlan, by_division: dict[str, int]
                       ) -> tuple[list[Company], dict[str, int]]:
        quota = self._quota(s, p.companies, "session23_approved")
        divisions = list(by_division)
        per_division = plan.apportion(p.companies, [by_division[d] for d in divisions], minimum=1,
                                      caps=[by_division[d] for d in divisions])
        returning_rate = 0.4 if s > 20 else 0.1 + 0.3 * (s - 1) / 19
        chosen: list[Company] = []
        taken: set[str] = set()
        for division, count in zip(divisions, per_division):
            for _ in range(count):
                company = self._pick_company(s, division, quota, taken, returning_rate)
                quota[company.district_code] -= 1
                taken.add(company.company_id)
                chosen.append(company)
        records_of = {}
        for division, total in by_division.items():
            group = [c for c in chosen if c.division == division]
            caps = [min(MAX_RECORDS_PER_COMPANY, MAX_RECORDS_OVERALL - c.records) for c in group]
            counts = plan.apportion(total, [math.sqrt(c.strength) + self.rng.random() for c in group], minimum=1,
                                    caps=caps)
            records_of.update({c.company_id: n for c, n in zip(group, counts)})
        return chosen, records_of

    def _draw_rejected(self, s: int, p: plan.SessionPlan, approved: list[Company], divisions: list[str]
                       ) -> list[Company]:
        total = p.applicants - len(approved)
        quota = self._quota(s, total, "session23_rejected")
        taken = {c.company_id for c in approved}
        extra = self._extra_divisions(s, p, divisions)
        rejected = []
        for i in range(total):
            division = extra[i] if i < len(extra) else divisions[self.rng.randrange(len(divisions))]
            company = self._pick_company(s, division, quota, taken, 0.3)
            quota[company.district_code] -= 1
            taken.add(company.company_id)
            rejected.append(company)
        return rejected

    def _extra_divisions(self, s: int, p: plan.SessionPlan, divisions: list[str]) -> list[str]:
        """Divisions only unsuccessful applicants came from (session 1's 15th industry; session 13's 29)."""
        if s == 1:
            return [r["industry_code"] for r in self._session1_rows(approved=False)]
        if p.application_divisions is None:
            return []
        pool = [d for d in self.division_weight if d not in divisions]
        extra = []
        for _ in range(p.application_divisions - len(divisions)):
            d = self._weighted(pool, [self.division_weight[x] for x in pool])
            pool.remove(d)
            extra.append(d)
        return extra

    # ----- projects ----------------------------------------------------------------------------------
    def _project(self, s: int, company: Company, group: str) -> tuple[str, str, str]:
        """(name_zh, name_en, group): a product the firm has not listed this session, worded uniquely."""
        used = self.used_products.setdefault((s, company.company_id), set())
        options = [x for x in names.products_for(group, s, self.shape.products, self.industry_names[group])
                   if x["name_zh"] not in used]
        if not options:  # the group is exhausted for this firm: another group of its division
            others = [g for g, _ in self.groups.get(group[:3], []) if g != group]
            for other in others:
                options = [x for x in names.products_for(other, s, self.shape.products, self.industry_names[other])
                           if x["name_zh"] not in used]
                if options:
                    group = other
                    break
        product = options[self.rng.randrange(len(options))]
        used.add(product["name_zh"])
        wordings = names.project_names(product, s)
        taken = self.used_names.setdefault(s, set())
        start = self.rng.randrange(len(wordings))
        for k in range(len(wordings)):
            zh, en = wordings[(start + k) % len(wordings)]
            if zh not in taken:
                taken.add(zh)
                return zh, en, group
        raise ValueError(f"session {s}: no unused wording left for {product['name_zh']}")

    def _district_raw(self, code: str, year: int, style: str) -> str:
        name = name_in_year(code, self.district_names[code], year)
        if name.endswith("区") and len(name) == 3 and self.rng.random() < 0.08:
            return name[:-1]
        return style + name

    def _emit_records(self, s: int, p: plan.SessionPlan, approved: list[Company], records_of: dict[str, int],
                      pending: dict[str, list[str]]) -> None:
        year = sessions.year(s)
        style = "深圳市" if 7 <= s <= 12 else ""
        out: list[dict] = []
        for company in approved:
            company.approvals.append(s)
            company.records += records_of[company.company_id]
            district_raw = self._district_raw(company.district_code, year, style)  # one district per firm and list
            for _ in range(records_of[company.company_id]):
                group, raw_industry = self._group(s, company.division, pending)
                zh, en, group = self._project(s, company, group)
                out.append(write.record_row(s, len(out) + 1, company.company_id, (zh, en), group, raw_industry,
                                           district_raw, company.strength))
        self._assign_categories(p, out)
        self._assign_awards(p, out)
        self._assign_prizes(p, out)
        self.records += out

    def _assign_categories(self, p: plan.SessionPlan, out: list[dict]) -> None:
        if not p.categories:
            return
        goods = [r for r in out if not names.is_service(r["industry_code"])]
        manufacturing = {id(r) for r in self.rng.sample(goods, p.categories["manufacturing"])}
        for r in out:
            if names.is_service(r["industry_code"]):
                r["category"] = "modern_service"
            else:
                r["category"] = "manufacturing" if id(r) in manufacturing else "product_rd"

    def _ranked(self, out: list[dict]) -> list[dict]:
        return sorted(out, key=lambda r: -self.rng.random() * (1 + 0.3 * math.log1p(r["_strength"])))

    def _assign_awards(self, p: plan.SessionPlan, out: list[dict]) -> None:
        per_company: dict[str, int] = {}
        eligible = []
        for r in self._ranked(out):  # a firm with many records should not sweep the awards
            if per_company.get(r["company_id"], 0) < 2:
                per_company[r["company_id"]] = per_company.get(r["company_id"], 0) + 1
                eligible.append(r)
        it = iter(eligible)
        for level, count in p.awards.items():
            for _ in range(count):
                next(it)["award_level"] = level

    def _assign_prizes(self, p: plan.SessionPlan, out: list[dict]) -> None:
        """The programme's own prizes go to records (the organisation awards go to associations, not here)."""
        it = iter(self._ranked(out))
        for kind, count in p.prizes.items():
            if kind in PRIZE_KINDS_ON_RECORDS:
                for _ in range(count):
                    next(it)["programme_prize"] = kind

    def _emit_applications(self, s: int, p: plan.SessionPlan, approved: list[Company],
                           rejected: list[Company]) -> None:
        session_records = [r for r in self.records if r["session_no"] == s]
        out = [write.application_row(s, i + 1, r["company_id"], r["project_name_zh"], r["industry_code"],
                                    r["industry_raw"], r["record_id"]) for i, r in enumerate(session_records)]
        extra_projects = max(len(rejected), p.applications - len(session_records))
        everyone = approved + rejected
        for company in rejected + [None] * (extra_projects - len(rejected)):
            if company is None:  # a further project from a firm that still has products to file
                room = [1.0 if len(self.used_products.get((s, c.company_id), ())) < MAX_RECORDS_PER_COMPANY - 1
                        else 0.0 for c in everyone]
                company = self._weighted(everyone, room)
            group, raw = self._rejected_industry(s, company)
            zh, _, group = self._project(s, company, group)
            out.append(write.application_row(s, len(out) + 1, company.company_id, zh, group, raw, None))
        self.applications += out

    def _rejected_industry(self, s: int, company: Company) -> tuple[str, str]:
        if s == 1:
            row = next(r for r in self.session1 if r["industry_code"] == company.division)
            options = row["groups"].split()
            return options[self.rng.randrange(len(options))], row["industry_raw"]
        return self._group(s, company.division, {})

    # ----- applicant profiles ------------------------------------------------------------------------
    def _emit_profiles(self, s: int, p: plan.SessionPlan, approved: list[Company], rejected: list[Company]) -> None:
        year = sessions.year(s)
        out = []
        for company, ok in [(c, True) for c in approved] + [(c, False) for c in rejected]:
            company.applied.append(s)
            out.append(write.profile_row(s, company, ok, self._district_raw(company.district_code, year, "")))
        for r in self._by_strength(out, 0.9)[:p.high_tech]:
            r["is_high_tech"] = True
        it = iter(self._by_strength(out, 0.6))
        for kind, count in p.qualifications.items():
            for _ in range(count):
                next(it)["qualification"] = kind
        self._assign_revenue(p, out)
        self.profiles += out

    def _by_strength(self, out: list[dict], spread: float) -> list[dict]:
        return sorted(out, key=lambda r: -(r["_company"].strength * self.rng.uniform(1 - spread, 1 + spread)))

    def _assign_revenue(self, p: plan.SessionPlan, out: list[dict]) -> None:
        raw = [r["_company"].strength * self.rng.lognormvariate(0, 0.6) for r in out]
        unit = 10_000  # lists give revenue in 万元
        total_units = round(p.revenue_mean * len(out) / unit)
        units = [max(1, round(x / sum(raw) * total_units)) for x in raw]
        largest = units.index(max(units))
        units[largest] += total_units - sum(units)
        for r, u in zip(out, units):
            r["annual_revenue_cny"] = u * unit
