"""District spellings: how lists wrote a district, and how we match those spellings to today's districts."""

from __future__ import annotations

import unicodedata

# Lists were published before some districts existed; firms were then listed under the parent district.
# (code, first year of the new area, first year as a full district, name of the parent before the area)
_HISTORY = {
    "440309": (2012, 2017, "宝安区", "龙华新区"),
    "440310": (2009, 2017, "龙岗区", "坪山新区"),
    "440311": (2007, 2018, "宝安区", "光明新区"),
    "SZDP": (2012, 9999, "龙岗区", "大鹏新区"),
}


def alias_key(text: str) -> str:
    """Normalise a spelling for matching: width, case, spaces and apostrophe variants don't matter."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("’", "'").replace("‘", "'").replace("`", "'")
    return "".join(folded.split())


def name_in_year(code: str, name_zh: str, year: int) -> str:
    """The district name a list of `year` would print for a firm located in today's district `code`."""
    if code not in _HISTORY:
        return name_zh
    area_from, district_from, parent, area_name = _HISTORY[code]
    if year < area_from:
        return parent
    if year < district_from:
        return area_name
    return name_zh


def predecessor(code: str) -> str | None:
    """The district (Chinese name) that lists printed for firms in `code` before its own area existed."""
    return _HISTORY[code][2] if code in _HISTORY else None


def resolve(text: str, aliases: dict[str, str]) -> str | None:
    """The district_code for a code or any spelling (南山区, 南山, Nanshan, 440305); `aliases` maps
    alias_key -> district_code (queries/district_profile_aliases.sql). None when nothing matches."""
    return aliases.get(alias_key(str(text))) if text is not None else None
