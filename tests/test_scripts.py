"""ui/scripts: the hidden scripts are one file in static/, and what each run sends is a loader naming the file by
its content's hash and the script's function. (That the scripts work, loaded this way, is checked in the
browser: test_a11y_browser, test_phone_browser and the basket's reload in test_browser run them.)"""

import hashlib
import re
import tomllib

import pytest

from core import config
from ui import a11y, basket_keeper, device, scripts

EXPORTS = {"a11y": "a11y", "basket_keeper": "basketKeeper", "phone_probe": "phoneProbe"}


def test_each_loader_imports_the_file_by_its_hash_and_runs_its_function():
    code = (config.ROOT / "static" / "page_scripts.js").read_text(encoding="utf-8")
    digest = hashlib.sha256(code.encode()).hexdigest()[:12]
    exported = set(re.findall(r"^export function (\w+)\(", code, re.M))
    assert exported == set(EXPORTS.values())
    for export in EXPORTS.values():
        js = scripts.loader(export)
        assert f'import(new URL("app/static/page_scripts.js?v={digest}", document.baseURI).href)' in js
        assert f"cleanup = module.{export}(component)" in js
        assert "\n" in js and len(js) < 400  # two lines (one would be taken for a path), sent with every run


def test_the_three_components_run_their_functions():
    """What each module mounts (read from the mount function Streamlit made: it keeps the name and the js)."""
    for component, name in ((a11y._script, "a11y"), (basket_keeper._keeper, "basket_keeper"),
                            (device._probe, "phone_probe")):
        kept = [cell.cell_contents for cell in component.__closure__ or ()]
        assert name in kept and scripts.loader(EXPORTS[name]) in kept


def test_streamlit_serves_the_folder():
    settings = tomllib.loads(config.STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    assert settings["server"]["enableStaticServing"] is True
    assert scripts.FILE.parent == config.DASHBOARD.parent / "static"


def test_every_toolbar_word_sent_has_its_translation(monkeypatch):
    """The accessibility script's data: the words for the buttons and messages the charts show, each found in
    the vendored plotly locale (a misspelt one would silently stay English); sent once per session and
    language (a session's later runs in Chinese send none)."""
    assert set(a11y._zh_shown()) == a11y.SHOWN_STRINGS
    assert {"Download plot as a PNG", "Zoom in", "Reset axes", "Taking snapshot - this may take a few seconds"} <= \
        a11y.SHOWN_STRINGS
    session = {}
    monkeypatch.setattr(a11y.st, "session_state", session)
    first, again, english = a11y._words_once("zh-CN"), a11y._words_once("zh-CN"), a11y._words_once("en")
    assert first["Zoom in"] == "放大" and first["Fullscreen"] and again is None and english == {}


def test_streamlit_names_around_a_name_go_as_templates():
    """"Remove list.csv" and "Help for Records" are Streamlit's English around a file's or a label's name: the
    script gets the English start and the Chinese template, and no prefix is written in the script itself."""
    words = a11y._toolbar_words()["zh-CN"]
    assert words["Remove "] == "移除 {name}" and words["Help for "] == "说明：{name}"
    assert '"Remove"' not in scripts.FILE.read_text(encoding="utf-8")


def test_every_streamlit_word_is_sent_in_chinese():
    """Each of Streamlit's own words the page can show or read out, with its Chinese (a word left out of
    STREAMLIT_WORDS, or a wrong translation, stays unnoticed on the page otherwise)."""
    words = a11y._toolbar_words()["zh-CN"]
    assert {k: words.get(k) for k in ("Fullscreen", "Exit fullscreen", "Page not found", "Close", "Add files",
                                      "Show password", "Hide password")} == {
        "Fullscreen": "全屏", "Exit fullscreen": "退出全屏", "Page not found": "页面不存在", "Close": "关闭",
        "Add files": "添加文件", "Show password": "显示密码", "Hide password": "隐藏密码"}
    assert words["The page that you have requested does not seem to exist. Running the app's main page."] == \
        "您要打开的页面不存在，已为您打开首页。"


def test_every_toolbar_title_the_charts_show_is_translated():
    words = a11y._toolbar_words()["zh-CN"]
    shown = {"Download plot as a PNG", "Pan", "Reset", "Reset axes", "Zoom", "Zoom in", "Zoom out",
             "Double-click on legend to isolate one trace", "Double-click to zoom back out", "Snapshot succeeded",
             "Sorry, there was a problem downloading your snapshot!", "Taking snapshot - this may take a few seconds"}
    assert shown <= set(words) and words["Pan"] == "平移"


@pytest.mark.parametrize(("lang", "page_lang"), [("zh", "zh-CN"), ("en", "en"), ("fr", "zh-CN")])
def test_the_page_language_sent_to_the_script(monkeypatch, lang, page_lang):
    """<html lang> comes from this: a screen reader reads Chinese as English under a wrong one."""
    sent = {}
    monkeypatch.setattr(a11y.st, "session_state", {})
    monkeypatch.setattr(a11y, "_script", lambda **kw: sent.update(kw))
    a11y.install(lang)
    assert sent["data"]["lang"] == page_lang
