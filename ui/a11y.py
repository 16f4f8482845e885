"""What the page does for screen readers and for the reader's language that Streamlit does not do itself.

- The page's language (`<html lang>`): zh-CN or en, so a screen reader reads Chinese as Chinese.
- Each chart's plot carries role="img" and its text alternative as aria-label (the text also shows under the
  chart, see ui/widgets.show), so a screen reader announces a sentence instead of the toolbar's buttons.
- Material icons are ligatures: their name ("science", "download") is text, and an alert or a button would
  be read starting with it. They are hidden from assistive technology (the label next to them says it all).
- Plotly's toolbar in the reader's language: its titles and messages from the zh-CN locale of plotly.js
  (vendored in ui/assets from the plotly.js-locales package, MIT), put on the buttons by the script below.
  They travel once per run with the script's data, not in every chart's config (1.5 KB a chart, sent again
  with each redraw); nothing is fetched.

Streamlit cannot put attributes on its elements, so one small script in the page (a v2 component) sets them,
again whenever Streamlit redraws (a MutationObserver); the language comes with each run's data.
"""

from __future__ import annotations

import functools
import json

import streamlit as st

from core import config
from core.i18n import t
from ui import scripts

LOCALE_FILE = config.UI_ASSETS / "plotly_locale_zh-cn.json"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
ALT_KEY = "alt_"  # a chart's container key starts with this (class st-key-alt_<chart>)

# Section headings are h2 under the page's h1 (a screen reader's outline skips no level); drawn at the size
# the h3 they replaced had, so the page looks as before.
_CSS = ".st-key-a11y_box {display: none;} [data-testid='stMain'] h2 {font-size: 1.6rem; padding-top: 1rem;}"

# A Streamlit v2 component's module (served as a blob: script, which make serve's Content-Security-Policy
# allows; an inline <script> through st.html would need 'unsafe-inline'). It runs in the page itself.
_JS = """
export default function ({ data }) {
  window.__a11yData = data;  // the language and the toolbar's words of this run
  const apply = () => {
    const { lang, toolbar } = window.__a11yData;
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
    document.querySelectorAll('[data-testid="stIconMaterial"]:not([aria-hidden])')
      .forEach((icon) => icon.setAttribute("aria-hidden", "true"));
    const words = toolbar || {};
    document.querySelectorAll('[class*="st-key-alt_"]').forEach((box) => {
      // the plot's own SVG, not its container: the container also holds the toolbar's buttons, which must
      // stay reachable (an image's children are not)
      const layers = box.querySelectorAll(".js-plotly-plot .svg-container > svg.main-svg");
      const caption = box.querySelector('[data-testid="stCaptionContainer"]');
      if (!layers.length || !caption) return;
      const label = caption.textContent.replace(/\u2060/g, "").trim();
      const plot = layers[0];
      if (plot.getAttribute("aria-label") !== label) {
        plot.setAttribute("role", "img");
        plot.setAttribute("aria-label", label);
      }
      // titles, legend and notes are drawn in further layers: the description says what they say
      layers.forEach((layer, i) => { if (i > 0) layer.setAttribute("aria-hidden", "true"); });
    });
    document.querySelectorAll(".modebar-btn[data-title]").forEach((button) => {
      const said = words[button.dataset.title];
      if (said) {
        button.dataset.title = said;
        button.setAttribute("aria-label", said);
      }
    });
    // the toolbar's messages ("Taking snapshot ...", "Double-click to zoom back out")
    document.querySelectorAll(".notifier-note p").forEach((note) => {
      const said = words[note.textContent.trim()];
      if (said) note.textContent = said;
    });
  };
  window.__a11yApply = apply;
  if (!window.__a11yObserver) {
    let queued = false;
    window.__a11yObserver = new MutationObserver(() => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(() => { queued = false; window.__a11yApply(); });
      }
    });
    window.__a11yObserver.observe(document.documentElement, {childList: true, subtree: true, characterData: true,
                                                             attributes: true, attributeFilter: ["lang"]});
  }
  apply();
}
"""
_script = scripts.component("a11y", _JS)


def install(lang: str) -> None:
    """Once per run, anywhere (it draws nothing visible)."""
    with st.container(key="a11y_box"):
        st.html(f"<style>{_CSS}</style>")
        _script(key="a11y_script", data={"lang": HTML_LANG.get(lang, "zh-CN"),
                                         "toolbar": _toolbar_words().get(HTML_LANG.get(lang, "zh-CN"), {})})


def _toolbar_words() -> dict:
    """The toolbar's and its messages' words per page language: Streamlit's two (full screen) and the ones
    from plotly's zh-CN locale these charts can show."""
    return {HTML_LANG["zh"]: {**_zh_shown(), "Fullscreen": t("a11y.fullscreen", "zh"),
                              "Exit fullscreen": t("a11y.exit_fullscreen", "zh")}}


# From the locale, only the strings these charts can show: the toolbar's titles and its messages. The rest of
# the dictionary is for chart types and modes never used here (3-D cameras, box plots, Sankey, OHLC, editable
# titles), and its date format for date axes (none: sessions and years are numbers).
SHOWN_STRINGS = frozenset({
    "Autoscale", "Compare data on hover", "Double-click on legend to isolate one trace",
    "Double-click to zoom back out", "Download plot as a PNG", "Download plot", "Pan", "Reset", "Reset axes",
    "Reset view", "Reset views", "Show closest data on hover", "Snapshot succeeded",
    "Sorry, there was a problem downloading your snapshot!", "Taking snapshot - this may take a few seconds",
    "Toggle Spike Lines", "Toggle show closest data on hover", "Zoom", "Zoom in", "Zoom out",
})


@functools.cache
def _zh_shown() -> dict:
    locale = json.loads(LOCALE_FILE.read_text(encoding="utf-8"))
    return {k: v for k, v in locale["dictionary"].items() if k in SHOWN_STRINGS}
