"""Planning: how many of everything each session gets. Pure functions of the published figures and the
guessed shape (no randomness), so every published figure holds by construction and can be tested here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core.demo.inputs import Published, Shape

SESSIONS = range(1, 24)
QUALIFICATIONS = ["single_champion", "little_giant", "provincial_srdi", "municipal_srdi"]
QUALIFICATION_SINCE = {"single_champion": 15, "provincial_srdi": 15, "municipal_srdi": 17, "little_giant": 18}
QUALIFICATION_MIX = {"single_champion": 0.15, "little_giant": 0.17, "provincial_srdi": 0.18, "municipal_srdi": 0.5}
AWARD_MIX = {"national": 0.15, "provincial": 0.35, "municipal": 0.5}
CATEGORIES = ["product_rd", "manufacturing", "modern_service"]


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
        # the units the floors leave go one each to the largest remainders of this same split
        room = [i for i in open_ if shares[i] + grant[i] < caps[i]]
        for i in sorted(room, key=lambda i: (-(exact[i] - math.floor(exact[i])), i))[:left - sum(grant.values())]:
            grant[i] += 1
        for i, g in grant.items():
            shares[i] += g
    return shares


def session_totals(fixed: dict[int, int], weights: dict[int, float], cumulative: dict[int, int]) -> dict[int, int]:
    """Per-session totals: `fixed` where known; within each published cumulative block (1..N) the rest of the
    block's total is split over the other sessions in proportion to the guessed `weights`."""
    totals = dict(fixed)
    start, before = 1, 0
    for end in sorted(cumulative):
        block = range(start, end + 1)
        free = [s for s in block if s not in fixed]
        rest = cumulative[end] - before - sum(fixed[s] for s in block if s in fixed)
        if not free and rest:
            raise ValueError(f"sessions {start}-{end}: fixed values miss the published total by {rest}")
        if free:
            totals.update(zip(free, apportion(rest, [weights[s] for s in free])))
        start, before = end + 1, cumulative[end]
    for s in weights:
        totals.setdefault(s, round(weights[s]))
    return totals


def spread(items: list[str], sessions: list[int]) -> dict[int, list[str]]:
    """Deal `items` round-robin over `sessions` (so neighbours in the list land in different sessions)."""
    plan: dict[int, list[str]] = {s: [] for s in sessions}
    for i, item in enumerate(items):
        plan[sessions[i % len(sessions)]].append(item)
    return plan


def district_weights(s: int, districts: list[dict]) -> dict[str, float]:
    """Guessed weight of each district at session s: interpolated between session 1 and session 23."""
    t = (s - 1) / 22
    return {d["district_code"]: 0.0 if s < int(d["from_session"]) else
            (1 - t) * float(d["weight_session_1"]) + t * float(d["weight_session_23"]) for d in districts}


def district_quota(s: int, total: int, districts: list[dict]) -> dict[str, int]:
    weights = district_weights(s, districts)
    return dict(zip(weights, apportion(total, list(weights.values()))))


@dataclass
class SessionPlan:
    n: int
    records: int
    companies: int
    divisions: int
    applicants: int
    applications: int
    application_divisions: int | None = None
    categories: dict[str, int] | None = None
    awards: dict[str, int] = field(default_factory=dict)
    high_tech: int = 0
    qualifications: dict[str, int] = field(default_factory=dict)
    revenue_mean: float = 0.0
    prizes: dict[str, int] = field(default_factory=dict)


def plan_sessions(published: Published, shape: Shape) -> dict[int, SessionPlan]:
    records = _records(published, shape)
    companies = _companies(published, shape)
    return {s: _session(s, records[s], companies[s], published, shape) for s in SESSIONS}


def _records(published: Published, shape: Shape) -> dict[int, int]:
    fixed = {s: int(v) for s in SESSIONS if (v := published.session(s, "records")) is not None}
    weights = {s: shape.guess(s, "records") or 0.0 for s in SESSIONS}
    return session_totals(fixed, weights, published.cumulative("records"))


def _companies(published: Published, shape: Shape) -> dict[int, int]:
    fixed = {s: int(v) for s in SESSIONS if (v := published.session(s, "companies_summed")) is not None}
    fixed.update({s: int(v) for s in SESSIONS if (v := shape.guess(s, "companies_fixed")) is not None})
    for s, value in fixed.items():
        bound = published.get(s, s, "companies_summed", comparison="le")
        if bound is not None and value > bound:
            raise ValueError(f"session {s}: {value} companies exceed the published bound {bound:g}")
    weights = {s: shape.guess(s, "companies") or 0.0 for s in SESSIONS}
    return session_totals(fixed, weights, published.cumulative("companies_summed"))


def _first(*values):
    return next((v for v in values if v is not None), None)


def _session(s: int, records: int, companies: int, published: Published, shape: Shape) -> SessionPlan:
    g = shape.guess
    applicants = int(_first(published.session(s, "applicant_companies"), g(s, "applicants"),
                            round(companies * (g(s, "applicants_per_company") or 1))))
    applications = int(_first(published.session(s, "applications"),
                              round(records * (g(s, "applications_per_record") or 1))))
    divisions = _first(published.session(s, "industry_divisions"), g(s, "divisions"))
    plan = SessionPlan(s, records, companies, int(divisions or 0), applicants, applications)
    app_divisions = published.session(s, "application_industry_divisions")
    plan.application_divisions = int(app_divisions) if app_divisions is not None else None
    plan.categories = _categories(s, published, shape)
    plan.awards = _awards(s, records, published, shape)
    share = _first(published.session(s, "applicants_high_tech_share"), g(s, "high_tech_share"))
    plan.high_tech = round(applicants * share / 100)
    plan.qualifications = _qualifications(s, applicants, published, shape)
    revenue = _first(published.session(s, "applicants_mean_revenue"), g(s, "revenue_mean_million"))
    plan.revenue_mean = revenue * 1e6
    plan.prizes = {k: int(v) for k, v in published.texts(s, "programme_prizes").items()}
    return plan


def _categories(s: int, published: Published, shape: Shape) -> dict[str, int] | None:
    counts = {c: _first(published.session(s, f"records_{c}"), shape.guess(s, c)) for c in CATEGORIES}
    return None if any(v is None for v in counts.values()) else {c: int(v) for c, v in counts.items()}


def _awards(s: int, records: int, published: Published, shape: Shape) -> dict[str, int]:
    split = {k: shape.guess(s, f"award_{k}") for k in AWARD_MIX}
    total = published.session(s, "records_awarded")
    if all(v is not None for v in split.values()):
        if total is not None and sum(split.values()) != total:
            raise ValueError(f"session {s}: the guessed award split does not add up to the published {total:g}")
        return {k: int(v) for k, v in split.items()}
    total = total if total is not None else round(records * (shape.guess(s, "award_rate") or 0))
    return dict(zip(AWARD_MIX, apportion(int(total), list(AWARD_MIX.values()))))


def _qualifications(s: int, applicants: int, published: Published, shape: Shape) -> dict[str, int]:
    counts = {q: _first(published.session(s, f"applicants_{q}"), shape.guess(s, q)) for q in QUALIFICATIONS}
    if all(v is not None for v in counts.values()):
        return {q: int(v) for q, v in counts.items()}
    share = shape.guess(s, "qualified_share") or 0
    kinds = [q for q in QUALIFICATION_MIX if s >= QUALIFICATION_SINCE[q]]
    return dict(zip(kinds, apportion(round(applicants * share / 100), [QUALIFICATION_MIX[k] for k in kinds])))
