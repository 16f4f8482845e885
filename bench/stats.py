"""Small statistics helpers shared by the bench sections."""

from __future__ import annotations

import math
import statistics


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with 20 samples: the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def row(name: str, value, unit: str, budget: float, note: str = "", detail: dict | None = None,
        measured: bool = True) -> dict:
    """One result row; value None means not measured (met is then None) or failed (met False)."""
    met = (None if not measured else False) if value is None else bool(value <= budget)
    out = {"name": name, "value": None if value is None else round(float(value), 4), "unit": unit,
           "budget": budget, "met": met}
    if note:
        out["note"] = note
    if detail:
        out["detail"] = detail
    return out


def failed_rows(names: list[tuple[str, str, float]], exc: BaseException) -> list[dict]:
    """Rows for a measurement that failed: no value, the error's first line as the note."""
    first_line = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    note = f"measurement failed: {type(exc).__name__}: {first_line}"
    return [row(n, None, u, b, note=note) for n, u, b in names]
