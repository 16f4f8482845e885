"""The press-release button (overview page, and the import page right after an import): build the session's
release draft (DOCX) or the release-day kit (ZIP) with the steps in words, then offer the file. The built file
stays in the session, so leaving the page and coming back keeps it."""

from __future__ import annotations

import streamlit as st

from core import export, release, release_kit
from core.i18n import t
from ui import state

MIME_DOCX = export.PACK_MIME["docx"]


def show(session: int, lang: str, key: str = "release") -> None:
    """The panel inside an expander that draws its widgets only while open (no cost to other reruns)."""
    with st.expander(t("release.ui.heading", lang), icon=":material/newspaper:", key=f"{key}_open",
                     on_change="rerun"):
        if st.session_state.get(f"{key}_open"):
            _panel(session, lang, key)


def _panel(session: int, lang: str, key: str) -> None:
    st.caption(t("release.ui.intro", lang))
    kit = st.checkbox(t("release.ui.with_districts", lang), key=f"{key}_kit")
    wanted = (session, lang, kit)
    if st.button(t("release.ui.build", lang), key=f"{key}_build", icon=":material/edit_document:", type="primary"):
        built = _build(session, lang, kit)
        if built is not None:
            st.session_state[f"{key}_file"] = (wanted, *built)
    stored = st.session_state.get(f"{key}_file")
    if stored and stored[0] == wanted:
        _wanted, name, data = stored
        st.download_button(t("release.ui.download_zip" if kit else "release.ui.download", lang), data=data,
                           file_name=name, mime=export.PACK_MIME["zip"] if kit else MIME_DOCX,
                           key=f"{key}_download", on_click="ignore", icon=":material/download:")


def _build(session: int, lang: str, kit: bool) -> tuple[str, bytes] | None:
    with st.status(t("release.ui.building", lang), expanded=True) as box:
        bar = st.progress(0.0)

        def step(text: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=text)

        options = state.options()
        try:
            if kit:
                data = release_kit.build_kit(session, lang, options, on_step=step)
                name = release_kit.kit_file_name(session, lang)
            else:
                data = release_kit.build_release(session, lang, options, on_step=step)[1]
                name = release.file_name(session, lang, "docx")
        except (export.ExportUnavailable, release.UnknownSession) as exc:
            box.update(label=t("release.ui.failed", lang, error=str(exc)), state="error")
            return None
        box.update(label=t("release.ui.built", lang), state="complete", expanded=False)
    return name, data
