"""The page shown instead of any other while the database cannot be read (missing, empty, damaged, unreadable).

It names the problem and the way out in the reader's language, never the server's paths or a traceback,
and every rerun checks again, so the app recovers by itself once the file is rebuilt or restored.
"""

from __future__ import annotations

import logging

import streamlit as st

from core import config, db
from core.i18n import DEFAULT_LANG, LANGS, t

log = logging.getLogger(__name__)


def reader_lang() -> str:
    lang = st.session_state.get("f_lang") or st.query_params.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def show(fault: str) -> None:
    """The fault page; stops the run."""
    log.error("database %s: %s", config.records_db(), fault)  # the path goes to the server log, not the reader
    lang = reader_lang()
    st.title(t("fault.title", lang))
    st.error(t(f"fault.{fault}", lang), icon=":material/database:")
    # the remedy that keeps the imported lists first; the one that drops them only when no copy is kept
    st.markdown(t("fault_advice.restore", lang))
    st.code("python -m core.cli history\npython -m core.cli restore ID", language="bash")
    st.markdown(t("fault_advice.rebuild", lang))
    st.code("python -m core.cli build", language="bash")
    st.caption(t("fault.recovers", lang))
    if st.button(t("fault.retry", lang), icon=":material/refresh:"):
        st.rerun()
    st.stop()


def guard() -> None:
    """Stop with the fault page unless the database can be read."""
    fault = db.health()
    if fault:
        show(fault)
