"""Text from data, files or the URL shown inside Markdown (notices, summaries) must stay plain text.

Streamlit renders Markdown (GitHub flavour plus its own `:color[...]`, `:material/icon:` and `$maths$`), so a
URL value like `[x](https://evil)` or `![](https://evil/p.png)` would become a live link or make the
reader's browser fetch an outside image. Every ASCII punctuation character gets a backslash (CommonMark
treats each as a literal then), and line breaks become spaces so a value cannot start a heading or list.

Backslashes are not enough: Streamlit turns bare `https://…`, `www.…` and `name@host` into links, and
`:shortcode:` into emoji images, *after* escapes are resolved (checked in Chromium, Streamlit 1.67). An
invisible word joiner (U+2060) after every `:` and `@` and before every `.` breaks those patterns while
the text reads the same.
"""

from __future__ import annotations

import string

_WJ = "\u2060"
_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
_ESCAPES.update({ord(":"): "\\:" + _WJ, ord("@"): "\\@" + _WJ, ord("."): _WJ + "\\."})
_ESCAPES.update({ord("\n"): " ", ord("\r"): " ", ord("\u2028"): " ", ord("\u2029"): " "})


def escape_markdown(text: object) -> str:
    """`text` as Markdown that renders exactly as the characters given."""
    return str(text).translate(_ESCAPES)
