"""The page's hidden scripts (Streamlit v2 components: the phone probe, the basket keeper, the accessibility
script). Their code is one file, static/page_scripts.js, which Streamlit serves at app/static/
(`server.enableStaticServing`), compressed, and the browser fetches once per page; what travels with every run
is a loader of two lines per script and the script's data. (Sent inline, the scripts were 4 KB of every filter
change's messages.) They are drawn together in one hidden container (`hidden`)."""

from __future__ import annotations

import contextlib
import functools
import hashlib

import streamlit as st

from core import config

FILE = config.ROOT / "static" / "page_scripts.js"
BOX = "page_scripts"  # the hidden container's key
# The page's own address is the base (a blob: module has none of its own), so a server.baseUrlPath is kept. A run
# may end before the file has loaded: its cleanup then stops the script from starting. Short, as every run sends
# it, but on two lines: Streamlit takes a one-line js for a file's path.
_LOADER = ('export default function (component) { let cleanup = null, gone = false;\n'
           'import(new URL("app/static/ADDRESS", document.baseURI).href).then((module) => { '
           'if (!gone) cleanup = module.EXPORT(component); }); '
           'return () => { gone = true; if (typeof cleanup === "function") cleanup(); }; }')


@functools.cache
def address() -> str:
    """The file's address under app/static/, with its content's hash: after an upgrade no browser runs a copy
    of the old one it kept."""
    return f"{FILE.name}?v={hashlib.sha256(FILE.read_bytes()).hexdigest()[:12]}"


def loader(export: str) -> str:
    """The module sent with each run: it imports the file and runs its function `export` with the component's
    arguments."""
    return _LOADER.replace("ADDRESS", address()).replace("EXPORT", export)


def component(name: str, export: str):
    """st.components.v2.component `name` running page_scripts.js's function `export`."""
    return st.components.v2.component(name, js=loader(export))


@contextlib.contextmanager
def hidden(css: str = ""):
    """The one container the scripts are drawn in, hidden, with the page's own `css`."""
    with st.container(key=BOX):
        st.html(f"<style>.st-key-{BOX} {{display: none;}} {css}</style>")
        yield
