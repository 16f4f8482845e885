"""Import an official list: check the file first (nothing written), then replace the session's demo records."""

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from core import importer
from core.i18n import fmt_int, t
from ui import admin, history_section, import_summary, release_panel, state, widgets

filters = state.current()
lang = filters.lang
st.title(t("pages.import.title", lang))
st.caption(t("pages.import.intro", lang))
state.show_notices(lang)
widgets.demo_banner(lang)  # before the sign-in gate: a visitor who is not signed in sees it too
who = admin.gate(lang)  # stops here with the sign-in form unless an administrator is signed in

opts = state.options()
session = st.number_input(t("import.session", lang), min_value=importer.SESSION_MIN, max_value=importer.SESSION_MAX,
                          step=1, value=min(max(opts.latest, importer.SESSION_MIN), importer.SESSION_MAX),
                          key="import_session", help=t("import.session_help", lang))
upload = st.file_uploader(t("import.file", lang), type=["csv", "xlsx"], key="import_file",
                          help=t("import.file_help", lang))
widgets.uploader_in_reader_language(lang)


def progress_to(bar):
    def step(s: importer.Step) -> None:
        bar.progress(s.fraction, text=t(f"import.step.{s.key}", lang))
    return step


if upload is not None and st.button(t("import.check", lang), icon=":material/fact_check:", type="primary"):
    with st.status(t("import.checking", lang), expanded=True) as box:
        bar = st.progress(0.0)
        # checked from memory: the upload is never copied to disk, so no temporary file can be left behind
        report = importer.validate(Path(upload.name).name, int(session), progress=progress_to(bar),
                                   data=upload.getvalue())
        box.update(label=t("import.checked", lang), state="complete" if report.ok else "error")
    st.session_state["import_report"] = report

report = st.session_state.get("import_report")
if report is not None and upload is not None and report.file_name == Path(upload.name).name:
    st.markdown("\n".join(f"- {line}" for line in import_summary.lines(report, lang)))
    if report.problems:
        st.error(t("import.problems", lang, n=fmt_int(len(report.problems), lang)), icon=":material/error:")
        table = pd.DataFrame([{"file": p.file, "row": p.row, "column": p.column,
                               "message": t(f"import.problem.{p.key}", lang, **p.values) if p.key else p.message}
                              for p in report.problems])
        widgets.table(table, lang)
    elif st.button(t("import.apply", lang, n=report.session), icon=":material/upload:", type="primary"):
        with st.status(t("import.applying", lang), expanded=True) as box:
            bar = st.progress(0.0)
            try:
                result = importer.apply(report, progress=progress_to(bar), who=who)
            except importer.WriterBusy:
                st.error(t("import.history.busy", lang), icon=":material/error:")
                st.stop()
            except importer.WriteFailed as exc:  # the detail names server paths: the log has it, the page not
                logging.getLogger("import").error("%s", exc)
                st.error(t("write_failure.import", lang), icon=":material/error:")
                st.stop()
            box.update(label=t("import.done", lang), state="complete")
        state.read_stamp()  # the rest of this run reads the new version
        st.success(t("import.result", lang, added=fmt_int(result.records_added, lang),
                     replaced=fmt_int(result.records_replaced, lang), session=result.session,
                     build=result.build_id), icon=":material/check_circle:")
        st.session_state.pop("import_report", None)
        st.session_state["import_release_session"] = result.session

if st.session_state.get("import_release_session"):  # the imported session's press release, one click away
    n = st.session_state["import_release_session"]
    st.caption(t("release.ui.after_import", lang, n=n))
    release_panel.show(n, lang, key="import_release")

history_section.show(lang, who)
