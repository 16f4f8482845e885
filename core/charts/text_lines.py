"""Text measured and broken into lines without a browser, for the phone layout (core/charts/phone.py): the
width of a label in pixels at a font size (CJK characters count as wide), and where a line may break (at
spaces, between CJK characters but not before closing punctuation, between the " · " parts of a subtitle, at
`?` and `&` in a permalink), keeping Plotly's markup tags and entities whole."""

from __future__ import annotations

import re
import unicodedata

# no line starts with a closing character, none ends with an opening one
CLOSING, OPENING = "，。；：、！？）」』》】”’", "（「『《【“‘"
_TOKEN = re.compile(r"<[^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|.", re.S)


LATIN = 0.62  # em a character that is not CJK or full-width takes (char_width)


def char_width(char: str, size: float) -> float:
    """Rough advance of one character: a CJK or full-width character is one em, Latin text ~0.6 em (wide enough
    for Noto Sans bold digits and capitals; a line that comes out short only wastes a little space)."""
    if unicodedata.east_asian_width(char) in "WF":
        return size
    return LATIN * size


def width_at_most(text: str, size: float) -> float:
    """An upper bound of text_width without walking the characters (~50 us a text): every non-ASCII character
    counted as wide as a CJK one, markup as text."""
    wide = len(text) - len(text.encode("ascii", "ignore"))
    return size * (LATIN * len(text) + (1 - LATIN) * wide)


def text_width(text: str, size: float) -> float:
    """Width of the widest line of Plotly text (markup counts nothing, an entity one character)."""
    return max((sum(char_width(c, size) for c in _visible(_TOKEN.findall(line)))
                for line in re.split(r"<br\s*/?>", str(text), flags=re.I)), default=0.0)


def _visible(tokens: list[str]) -> list[str]:
    """The characters a reader sees among tokens: tags dropped, an entity as one character."""
    return ["x" if t.startswith("&") and len(t) > 1 else t for t in tokens if not (t.startswith("<") and len(t) > 1)]


def lines_of(text: str) -> int:
    return len(re.split(r"<br\s*/?>", str(text), flags=re.I))


def break_lines(text: str, size: float, width: float, split_words: bool = True) -> str:
    """Plotly text broken with <br> into lines no wider than `width`: at spaces, between CJK characters,
    before `?` and `&` and after `/` (not inside a fraction such as 8/11), `,` and `·` in addresses, anywhere in
    a word longer than a line.
    Tags open at a break (<b>, <span ...>) are closed at its end and opened again on the next line.
    `split_words=False` keeps a word longer than a line whole (a tick label may run a little wide)."""
    out: list[str] = []
    for line in re.split(r"<br\s*/?>", str(text), flags=re.I):
        # "R&D", "Production & manufacturing": an ampersand in words stays with the word before it
        out.extend(_without_widow(line.replace(" & ", "\u00a0& "), size, width, split_words))
    return "<br>".join(out)


WIDOW = 3  # a last line of this many characters or fewer ("数。", "奖数。") reads as left behind
RUNNING_TEXT = 8  # lines at least this many ems wide hold sentences; narrower ones labels, which break as they may


def _without_widow(line: str, size: float, width: float, split_words: bool) -> list[str]:
    """_wrap_line's lines; where the last would hold a widow, the same number of lines a little narrower (up to
    three characters), so that more than a widow comes down."""
    lines = _wrap_line(line, size, width, split_words)
    if len(lines) < 2 or _seen(lines[-1]) > WIDOW or width < RUNNING_TEXT * size:
        return lines
    for fewer in (1, 2, 3):
        narrower = _wrap_line(line, size, width - fewer * size, split_words)
        if len(narrower) == len(lines) and _seen(narrower[-1]) > WIDOW:
            return narrower
    return lines


def _seen(line: str) -> int:
    return len(_visible(_TOKEN.findall(line)))


def _wrap_line(line: str, size: float, width: float, split_words: bool) -> list[str]:
    lines: list[str] = []
    current: list[str] = []  # tokens of the line being filled
    start_tags: list[str] = []  # tags open where that line starts
    open_tags: list[str] = []  # tags open at this point
    used, seen, prev = 0.0, 0, ""  # width and visible characters of the line; previous visible character
    chance = None  # (position in `current`, tags open there) of the last place the line may break
    part = None  # the same for the last break between " · " separated parts, and the width before it
    prev_two = ""
    before_spaces = None  # `chance` where the current run of spaces began
    for token in _TOKEN.findall(line):
        if token.startswith("<") and len(token) > 1:
            current.append(token)
            _track(open_tags, token)
            continue
        char = "x" if token.startswith("&") and len(token) > 1 else token
        # never inside a fraction: a rank "第8/11" broken after its slash read as two numbers (issue 32)
        fraction = prev == "/" and prev_two[:1].isdigit() and char.isdigit()
        if char == " " and prev != " ":
            before_spaces = chance
        if char == "·" and prev == " ":  # no line starts with a separator: not in the spaces before it
            chance = before_spaces
        if seen and _breaks_before(char, prev) and not fraction:
            chance = (len(current), list(open_tags))
            # between the parts of a subtitle ("a  ·  b") or a source line ("a · b"): the best place
            if prev_two == "· " or char == "·" or (char == " " and prev == "·"):
                part = (len(current), list(open_tags), used)
        w = char_width(char, size)
        if used + w > width and seen and char != " " and (chance or part or split_words):
            if part and part[2] >= width / 2:
                chance = part[:2]
            cut, tags = chance or (len(current), list(open_tags))
            lines.append("".join(start_tags + current[:cut] + [f"</{_name(t)}>" for t in reversed(tags)]).rstrip())
            current, start_tags, chance, part, before_spaces = current[cut:], tags, None, None, None
            while current and current[0] == " ":
                current.pop(0)
            visible = _visible(current)
            used, seen = sum(char_width(c, size) for c in visible), len(visible)
        if char == " " and not seen:
            continue
        current.append(token)
        used, seen, prev, prev_two = used + w, seen + 1, char, prev + char
    lines.append("".join(start_tags + current).rstrip())
    return lines


def _breaks_before(char: str, prev: str) -> bool:
    """May a line start at `char`? Before a space or a CJK character, after a CJK character, and around the
    separators of an address; never before closing CJK punctuation or after opening (quotes included)."""
    if char in CLOSING or prev in OPENING:
        return False
    wide = unicodedata.east_asian_width(char) in "WF"
    prev_wide = unicodedata.east_asian_width(prev) in "WF" and prev not in OPENING
    return char == " " or wide or prev_wide or (char in "?&" and prev not in " \u00a0") or prev in "/,·"


def _name(tag: str) -> str:
    return re.match(r"</?\s*([a-zA-Z]+)", tag).group(1).lower()


def _track(open_tags: list[str], tag: str) -> None:
    if tag.startswith("</"):
        name = _name(tag)
        for k in range(len(open_tags) - 1, -1, -1):
            if _name(open_tags[k]) == name:
                del open_tags[k]
                break
    elif not tag.endswith("/>") and _name(tag) != "br":
        open_tags.append(tag)


# ----- the layout -----------------------------------------------------------------------------------------
