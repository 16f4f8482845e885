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
