"""What a browser hands back as its stored basket is untrusted (core/baskets.py): only entries of the basket
page's shape survive, bounded in number and size; a merge keeps the stored basket first and adds nothing twice."""

from __future__ import annotations

import json

import pytest

from core import baskets

GOOD = {"name": "district_ranking", "query": {"session": "23", "district": ["440305"]}, "caption": "例会",
        "id": "0" * 32}


def test_a_good_basket_comes_back_as_it_went():
    assert baskets.loads(baskets.dumps([GOOD])) == [GOOD]


@pytest.mark.parametrize("text", ["", "null", "{}", "[1, 2]", "not json", '"[]"', "[" * 5000, "x" * 70_000,
                                  None, 42])
def test_anything_but_a_list_of_entries_is_an_empty_basket(text):
    assert baskets.loads(text) == []


def test_hostile_entries_are_dropped_or_trimmed():
    stored = [
        {"name": "../../etc/passwd", "query": {}},
        {"name": "<script>", "query": {}},
        {"name": "records_per_session", "query": {"session": "2" * 500, "Bad-Key": "1", "to": "23",
                                                  "district": ["440305", 7, "x" * 100]},
         "caption": "c" * 1000, "id": "not-hex", "extra": {"deep": "value"}},
    ]
    assert baskets.loads(json.dumps(stored)) == [
        {"name": "records_per_session", "query": {"to": "23", "district": ["440305"]}, "caption": "c" * 160}]


def test_a_basket_is_bounded():
    many = [{**GOOD, "id": f"{i:032x}"} for i in range(100)]
    assert len(baskets.loads(json.dumps(many))) == baskets.MAX_ENTRIES == 40


def test_merge_keeps_the_stored_basket_first_without_repeats():
    other = {**GOOD, "name": "qualification_mix", "id": "1" * 32}
    assert baskets.merge([GOOD], [GOOD, other]) == [GOOD, other]
    assert baskets.merge([], [other]) == [other]


def test_dumps_is_compact_json_that_keeps_chinese():
    entry = {"name": "a_1", "caption": "例会", "other": 1}
    assert baskets.dumps([entry]) == '[{"name":"a_1","query":{},"caption":"例会"}]'
    assert baskets.dumps([]) == "[]"
    assert baskets.loads(json.dumps([{"name": "a"}])) == [{"name": "a", "query": {}, "caption": ""}]


def test_loads_reads_a_basket_at_its_size_limit_and_not_past_it():
    text = json.dumps([{"name": "a"}])
    padded = text[:-1] + " " * (baskets.MAX_TEXT - len(text)) + "]"
    assert len(padded) == 64 * 1024
    assert baskets.loads(padded) == [{"name": "a", "query": {}, "caption": ""}]
    assert baskets.loads(padded[:-1] + " ]") == []


def test_clean_entry_by_entry():
    context = {"district": "440305", "pair": ["22", "23"]}
    raw = [GOOD, "not a dict", {"query": {}}, {"name": 7}, {"name": ""}, {"name": "x" * 65},
           {"name": "y" * 64, "caption": 5, "id": "A" * 32, "context": context},
           {"name": "z", "id": "0" * 33, "context": ["440305"], "query": ["session"]},
           {"name": "w", "id": "f" * 32, "caption": "c" * 160 + "d"}]
    assert baskets.clean(raw) == [
        GOOD, {"name": "y" * 64, "query": {}, "caption": "", "context": context},
        {"name": "z", "query": {}, "caption": ""}, {"name": "w", "query": {}, "caption": "c" * 160, "id": "f" * 32}]
    assert baskets.clean({"name": "a"}) == [] and baskets.clean(None) == []
    assert len(baskets.clean([{"name": "a"}] * 41)) == 40


def test_values_bounds_keys_values_and_lists():
    keys = {f"k{chr(97 + i)}": str(i) for i in range(20)}
    assert list(baskets._values(keys)) == [f"k{chr(97 + i)}" for i in range(16)]
    assert baskets._values({"a" * 16: "1", "b" * 17: "2", "": "3", "Up": "4", 5: "6", "c": "v" * 64,
                            "d": "v" * 65, "e": None, "f": {"g": "h"}, "l": ["x"] * 40,
                            "m": [1, "y" * 65, "ok", "y" * 64],
                            "k1": "digit"}) == {"a" * 16: "1", "c": "v" * 64, "l": ["x"] * 32, "m": ["ok", "y" * 64]}
    assert baskets._values(["a"]) == {} and baskets._values(None) == {}
