"""The import page's history table and its undo: the first click says what the undo will do (or why it is
refused), the second does it (core.importer.undo_plan / undo_entry: one import's session only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import importer
from core.i18n import t
from core.markup import escape_markdown

ASKED, DONE = "import_undo_asked", "import_undo_done"


def frame(entries: list[importer.HistoryEntry], lang: str) -> pd.DataFrame:
    def action(e: importer.HistoryEntry) -> str:
        if e.action == "import":
            return t("import.history.import", lang)
        if e.action == "undo":
            return t("import.undo.action_undo", lang, id=e.undoes)
        return t("import.undo.action_restore", lang, id=e.restores)

    def status(e: importer.HistoryEntry) -> str:
        return t("import.undo.undone_by", lang, id=e.undone_by) if e.undone_by else t("import.undo.standing", lang)

    rows = [{"id": e.id, "action": action(e), "at": e.at.replace("T", " "), "who": e.who, "session": e.session,
             "file": e.file_name or "", "rows": f"{e.rows_accepted} / {e.rows_rejected}" if e.action == "import"
             else "", "status": status(e),
             "undoable": t(f"import.history.{'yes' if e.undoable else 'no'}", lang)} for e in entries]
    table = pd.DataFrame(rows, columns=["id", "action", "at", "who", "session", "file", "rows", "status", "undoable"])
    names = {c: t(f"import.history.{c}", lang) for c in table.columns if c != "status"}
    return table.rename(columns=names | {"status": t("import.undo.status", lang)})


def show(lang: str, who: str | None) -> None:
    st.header(t("import.history.title", lang))
    st.caption(t("import.undo.intro", lang))
    if DONE in st.session_state:  # the undo of the previous run, now in the table below
        st.success(st.session_state.pop(DONE), icon=":material/check_circle:")
    entries = importer.history()
    if not entries:
        st.info(t("import.history.empty", lang), icon=":material/info:")
        return
    st.dataframe(frame(entries, lang), hide_index=True, width="stretch")
    undoable = [e.id for e in entries if e.undoable and e.action in ("import", "undo")]
    if not undoable:
        return
    chosen = st.selectbox(t("import.undo.choose", lang), undoable, key="import_undo_id")
    if st.button(t("import.undo.button", lang, id=chosen), icon=":material/undo:", key="import_undo"):
        st.session_state[ASKED] = chosen
    if st.session_state.get(ASKED) == chosen:
        _ask_then_undo(int(chosen), lang, who)


def _ask_then_undo(entry_id: int, lang: str, who: str | None) -> None:
    try:
        plan = importer.undo_plan(entry_id)
    except importer.HistoryError:  # another administrator changed the history meanwhile
        st.error(t("import.undo.gone", lang, id=entry_id), icon=":material/error:")
        return
    if not plan.ok:
        st.error(_refusal(plan, lang), icon=":material/error:")
        return
    key = "import.undo.plan_removes" if plan.removes_session else "import.undo.plan_back"
    st.warning(t(key, lang, id=entry_id, session=plan.session, now=plan.records_now, back=plan.records_back),
               icon=":material/warning:")
    confirm, cancel = st.columns(2)
    if cancel.button(t("import.undo.cancel", lang), key="import_undo_cancel"):
        st.session_state.pop(ASKED, None)
        st.rerun()
    if not confirm.button(t("import.undo.confirm", lang, id=entry_id), type="primary", key="import_undo_confirm"):
        return
    try:
        done = importer.undo_entry(entry_id, who=who)
    except importer.WriterBusy:
        st.error(t("import.history.busy", lang), icon=":material/error:")
        return
    except importer.UndoRefused as exc:  # a later import of the session landed between the two clicks
        st.error(_refusal(exc.plan, lang), icon=":material/error:")
        return
    st.session_state.pop(ASKED, None)
    st.session_state.pop("import_report", None)
    st.session_state[DONE] = t("import.undo.done", lang, id=entry_id, new=done.id)
    st.rerun()


def _refusal(plan: importer.UndoPlan, lang: str) -> str:
    # file names come from the uploads: plain text inside the Markdown message
    later = ", ".join(f"#{b.id}" + (f" ({escape_markdown(b.file_name)})" if b.file_name else "")
                      for b in plan.blockers)
    return t("import.undo.refused", lang, id=plan.entry.id, session=plan.session, later=later)
