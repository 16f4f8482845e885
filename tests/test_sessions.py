"""The programme's calendar: one rule for a session's year, checked against dates in the sources."""

import pytest

from core import sessions


@pytest.mark.parametrize(("session_no", "year"), [(1, 2002), (13, 2014), (23, 2024), (24, 2025)])
def test_year_of_a_session(session_no, year):
    # session 1: federation news of 2002-11-23; session 23: press release of 2024-10-30; session 24 launched 2025
    assert sessions.year(session_no) == year


def test_no_module_computes_the_year_itself():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent
    offenders = [str(p.relative_to(root)) for folder in ("core", "ui", "pages") for p in (root / folder).rglob("*.py")
                 if re.search(r"2001 \+ \w", p.read_text(encoding="utf-8").split('"""', 2)[-1])
                 and p.name != "sessions.py"]
    offenders += ["dashboard.py"] if "2001 + " in (root / "dashboard.py").read_text(encoding="utf-8") else []
    assert offenders == []
