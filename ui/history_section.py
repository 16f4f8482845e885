"""The import page's history table and undo button (core.importer.history / restore)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import importer
from core.i18n import t


def frame(entries: list[importer.HistoryEntry], lang: str) -> pd.DataFrame:
    def action(e: importer.HistoryEntry) -> str:
        return t("import.history.import", lang) if e.action == "import" else t("import.history.restore", lang,
                                                                              id=e.restores)

    rows = [{"id": e.id, "action": action(e), "at": e.at.replace("T", " "), "who": e.who, "session": e.session,
             "file": e.file_name or "", "rows": f"{e.rows_accepted} / {e.rows_rejected}" if e.action == "import"
             else "", "undoable": t(f"import.history.{'yes' if e.undoable else 'no'}", lang)} for e in entries]
    table = pd.DataFrame(rows, columns=["id", "action", "at", "who", "session", "file", "rows", "undoable"])
    return table.rename(columns={c: t(f"import.history.{c}", lang) for c in table.columns})


def show(lang: str, who: str | None) -> None:
    st.subheader(t("import.history.title", lang))
    st.caption(t("import.history.intro", lang))
    entries = importer.history()
    if not entries:
        st.info(t("import.history.empty", lang))
        return
    st.dataframe(frame(entries, lang), hide_index=True, width="stretch")
    undoable = [e.id for e in entries if e.undoable]
    if not undoable:
        return
    chosen = st.selectbox(t("import.history.choose", lang), undoable, key="import_undo_id")
    if st.button(t("import.history.undo", lang, id=chosen), icon=":material/undo:", key="import_undo"):
        try:
            done = importer.restore(int(chosen), who=who)
        except importer.WriterBusy:
            st.error(t("import.history.busy", lang))
            return
        st.session_state.pop("import_report", None)
        st.success(t("import.history.undone", lang, id=chosen, new=done.id))
