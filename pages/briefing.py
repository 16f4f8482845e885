"""Briefing basket: reorder, caption and remove charts, then export a slide deck, a Word or PDF memo, or a ZIP."""

import uuid

import streamlit as st

from core import briefing, export
from core.i18n import t
from core.markup import escape_markdown
from ui import state, widgets

filters = state.current()
lang = filters.lang
opts = state.options()
st.title(t("pages.briefing.title", lang))
st.caption(t("pages.briefing.intro", lang))
state.show_notices(lang)
widgets.demo_banner(lang)
basket = st.session_state.setdefault("basket", [])


def keep_captions() -> None:
    """Take what is typed into the entries before a button changes the order (its callback runs first)."""
    for item in basket:
        key = "basket_caption_" + item.get("id", "")
        if key in st.session_state:
            item["caption"] = st.session_state[key]


def move(i: int, step: int) -> None:
    keep_captions()
    j = i + step
    basket[i], basket[j] = basket[j], basket[i]


def remove(i: int) -> None:
    keep_captions()
    basket.pop(i)


if not basket:
    st.info(t("basket.empty", lang), icon=":material/info:")
    st.button(t("basket.add_default", lang), icon=":material/add:",  # a callback: see widgets.actions
              on_click=lambda: basket.extend(briefing.entry(name, filters) for name in briefing.DEFAULT_PACK))
    st.stop()

for i, item in enumerate(basket):
    with st.container(border=True):
        title_col, tools = st.columns([8, 3])
        card = briefing.entry_card(item, opts, lang, state.status(lang))
        title_col.markdown(f"**{i + 1}. {escape_markdown(card.title)}**  \n{escape_markdown(card.subtitle)}")
        # one row however narrow the screen: three columns stacked into three full-width rows on a phone
        row = tools.container(horizontal=True, horizontal_alignment="right")
        row.button("↑", key=f"basket_up_{i}", on_click=move, args=(i, -1), disabled=i == 0,
                   help=t("basket.up", lang))
        row.button("↓", key=f"basket_down_{i}", on_click=move, args=(i, 1), disabled=i == len(basket) - 1,
                   help=t("basket.down", lang))
        row.button("✕", key=f"basket_remove_{i}", on_click=remove, args=(i,), help=t("basket.remove", lang))
        # the key follows the entry, not its place: a caption typed and followed by ↑/↓ stays with its chart
        key = "basket_caption_" + item.setdefault("id", uuid.uuid4().hex)
        if key not in st.session_state:
            st.session_state[key] = item.get("caption", "")
        item["caption"] = st.text_area(t("basket.caption", lang), key=key, max_chars=briefing.CAPTION_MAX,
                                       height=68, help=t("pack_words.caption_help", lang, n=briefing.CAPTION_MAX))

# asked twice: one click emptied the basket, captions and the browser's copy, with no way back
with st.popover(t("basket.clear", lang), icon=":material/delete:"):
    st.write(t("basket.clear_confirm_one" if len(basket) == 1 else "basket.clear_confirm", lang, n=len(basket)))
    st.button(t("basket.clear_yes", lang), key="basket_clear_yes", type="primary",
              on_click=lambda: st.session_state["basket"].clear())

st.header(t("basket.export_heading", lang))
if export.browser_path() is None:
    st.error(t("download.no_browser", lang, hint=export.INSTALL_HINT), icon=":material/error:")
    st.stop()
st.caption(state.link_address_note(lang))
choice = st.radio(t("basket.format", lang), list(briefing.PACK_FORMATS), horizontal=True, key="basket_format",
                  format_func=lambda f: t(f"basket.format_{f}", lang))
if st.button(t("basket.build", lang), type="primary", icon=":material/inventory_2:"):
    with st.status(t("basket.building", lang), expanded=True) as status_box:
        progress = st.progress(0.0)

        def step(i: int, n: int, title: str) -> None:
            progress.progress((i + 1) / (n + 1), text=t("basket.step", lang, i=i + 1, n=n, title=title))

        st.write(t("basket.step_data", lang))
        items = briefing.items_for(basket, opts, lang, state.status(lang), run=state.run)
        meta = briefing.meta_for(filters, opts, state.status(lang), entries=basket)
        pack = briefing.build_pack(choice, items, meta, on_step=step)
        progress.progress(1.0, text=t("basket.done", lang))
        status_box.update(label=t("basket.done", lang), state="complete")
    st.session_state["basket_file"] = (briefing.pack_key(choice, lang, basket, state.db_stamp()), choice, pack)

# the file built last, while it is what would be built now (format, language, charts and captions, data): after a
# chart was removed, the language or the format switched or the basket emptied and filled, the old file was offered
built = st.session_state.get("basket_file")
if built and built[0] == briefing.pack_key(choice, lang, basket, state.db_stamp()):
    _, fmt, pack = built
    name = briefing.file_name(basket, opts, lang, fmt)
    st.download_button(t("basket.download", lang, fmt=fmt.upper()), data=pack, file_name=name,
                       mime=export.PACK_MIME[fmt],
                       key="basket_download", on_click="ignore", type="primary")
