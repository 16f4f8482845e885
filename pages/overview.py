"""Overview: headline figures for the session, the press-release style summary, totals since 2002."""

import streamlit as st

from core import catalog, published, sessions, summary
from core.i18n import fmt_int, fmt_money, fmt_pct, is_missing, points_between, t
from ui import district_view, release_panel, state, widgets

filters = state.current()
lang = filters.lang
widgets.page_header("overview", filters)

# every query of the page at once: after a change of district or industry they all miss the cache (they
# answer for every session, so a change of session misses none). The summary's calls include the page's
# KPIs, running totals and chart query (qualification_mix).
state.prefetch(summary.needed_calls(filters))
kpis = state.run("session_kpis", **filters.params())
cur = catalog.in_range(kpis, filters.session, filters.session).iloc[0]
prev = catalog.in_range(kpis, filters.session - 1, filters.session - 1)
prev = prev.iloc[0] if not prev.empty else None


def delta(column, kind="int"):
    if prev is None or is_missing(cur[column]) or is_missing(prev[column]):  # no change to state, never "+nan"
        return None
    diff = cur[column] - prev[column]
    if kind == "pct":
        return t("units.points_value", lang, value=f"{points_between(prev[column], cur[column]):+.1f}")
    if kind == "money":
        return ("+" if diff >= 0 else "−") + fmt_money(abs(diff), lang, short=True)
    return f"{int(diff):+d}"


def written() -> tuple[str, str]:
    """The scope in words and the summary paragraph, made once per view and database version (a revisit reads
    them: ~4 ms of pandas and formatting a run)."""
    facts = summary.facts(filters, run=state.run)
    return summary.scope_words(filters, facts), summary.paragraph(
        facts, filters, link=lambda code, name: district_view.md_link(code, name, filters))


scope, text = widgets.kept(("overview_summary", filters), written)
heading = t("overview.kpi_heading", lang, n=filters.session, year=sessions.year(filters.session))
st.header(t("selection.heading", lang, heading=heading, scope=scope) if scope else heading)
row1 = widgets.kpi_row("session")
widgets.kpi(row1, t("overview.kpi.records", lang), fmt_int(cur["records"], lang), delta("records"))
widgets.kpi(row1, t("overview.kpi.companies", lang), fmt_int(cur["companies"], lang), delta("companies"))
widgets.kpi(row1, t("overview.kpi.industries", lang), fmt_int(cur["industries"], lang), delta("industries"))
widgets.kpi(row1, t("overview.kpi.awarded", lang), fmt_int(cur["awarded"], lang), delta("awarded"))


def shown(value, fmt, **kwargs) -> str:
    """A figure the session does not have reads "not applicable", never 0, a dash or nan: the qualified share
    before the titles existed, every applicant figure of a session imported from an official list."""
    return t("cell.not_applicable", lang) if is_missing(value) else fmt(value, lang, **kwargs)


row2 = widgets.kpi_row("applicants")
# session 23's applicant count is the project's inference, not a published figure: say so and how
derived = published.derived_note(state.run("derived_figures"), filters.session, "applicant_companies",
                                    cur["applicants"], lang)
widgets.kpi(row2, t("overview.kpi.applicants", lang) + (t("data_truth.derived_suffix", lang) if derived else ""),
            shown(cur["applicants"], fmt_int), delta("applicants"),
            t("overview.kpi.applicants_help", lang) + (f"\n\n{derived}" if derived else ""))
widgets.kpi(row2, t("overview.kpi.high_tech", lang), shown(cur["high_tech_share"], fmt_pct),
            delta("high_tech_share", "pct"), t("overview.kpi.high_tech_help", lang))
widgets.kpi(row2, t("overview.kpi.revenue", lang), shown(cur["mean_revenue_cny"], fmt_money, short=True),
            delta("mean_revenue_cny", "money"), t("overview.kpi.revenue_help", lang))
widgets.kpi(row2, t("overview.kpi.qualified", lang), shown(cur["qualified_share"], fmt_pct),
            delta("qualified_share", "pct"), t("overview.kpi.qualified_help", lang))

st.header(t("overview.summary_heading", lang))
st.markdown(text)
release_panel.show(filters.session, lang)  # the whole city's press release, whatever the filters

st.header(t("overview.cumulative_heading", lang, n=filters.session, year=sessions.year(filters.session)))
totals = state.session_rows("cumulative_by_session", filters.session, filters.session, **filters.params()).iloc[0]
cols = widgets.kpi_row("cumulative")
widgets.kpi(cols, t("overview.cum.records", lang), fmt_int(totals["records"], lang))
widgets.kpi(cols, t("overview.cum.companies_summed", lang), fmt_int(totals["companies_summed"], lang),
            help_text=t("overview.cum.companies_summed_help", lang))
widgets.kpi(cols, t("overview.cum.companies_distinct", lang), fmt_int(totals["companies_distinct"], lang),
            help_text=t("overview.cum.companies_distinct_help", lang))
widgets.kpi(cols, t("overview.cum.groups", lang), fmt_int(totals["groups"], lang),
            help_text=t("overview.cum.groups_help", lang))

widgets.charts_for("overview", filters)
