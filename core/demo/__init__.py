"""The demo dataset: deterministic (fixed seed), every published figure holding exactly, and nothing a reader
could take for a real firm.

Record-level lists of past sessions are not bundled, so the default database carries generated companies,
records, applications and applicant profiles, all marked source='demo'. Three steps, one module each:

- inputs: the published figures (data/raw/published_stats.csv, their only home) and the guessed shape
  (data/demo/*.csv: per-session targets, district and industry weights, products; each row marked
  guessed, published or derived);
- plan: pure functions that turn those into per-session counts, so the published ones hold by construction;
- draw: one seeded random.Random picks companies, industries and products to fill the counts;
- write: the contract tables' rows.
"""

from __future__ import annotations

import pandas as pd


def generate() -> dict[str, pd.DataFrame]:
    """companies, records, company_profiles and applications of the demo dataset."""
    from core.demo.draw import DemoGenerator

    return DemoGenerator().run()
