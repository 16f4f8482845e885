"""The demo's planning step (core/demo/plan.py): pure functions, so the published figures hold by
construction. Expected values are worked out by hand here."""

from __future__ import annotations

import pytest

from core.demo import names, plan


@pytest.mark.parametrize(("total", "weights", "expected"), [
    (10, [1, 1], [5, 5]),
    (7, [1, 1, 1], [3, 2, 2]),
    # the leftover units go one each to the largest remainders, not all to the heaviest weight
    (404, [99, 98, 97, 96], [103, 102, 100, 99]),
    (10, [1, 1, 1, 1], [3, 3, 2, 2]),
])
def test_apportion_largest_remainder(total, weights, expected):
    assert plan.apportion(total, weights) == expected


def test_apportion_respects_minimum_and_caps():
    assert plan.apportion(6, [10, 0, 0], minimum=1, caps=[3, 3, 3]) == [3, 2, 1]
    with pytest.raises(ValueError):
        plan.apportion(2, [1, 1, 1], minimum=1)


def test_session_totals_fill_each_published_block():
    # sessions 1-4; published: session 1 = 10, sessions 1-3 = 40, sessions 1-4 = 55
    totals = plan.session_totals({1: 10}, {1: 0, 2: 1, 3: 2, 4: 7}, {3: 40, 4: 55})
    assert totals == {1: 10, 2: 10, 3: 20, 4: 15}


def test_session_totals_refuse_fixed_values_that_miss_a_published_total():
    with pytest.raises(ValueError, match="miss the published total"):
        plan.session_totals({1: 10, 2: 10}, {1: 0, 2: 0}, {2: 21})


def test_spread_puts_neighbours_in_different_sessions():
    assert plan.spread(["C391", "C392", "C393"], [2, 3]) == {2: ["C391", "C393"], 3: ["C392"]}


def test_demo_credit_code_fails_the_check_digit_but_keeps_the_shape():
    from stdnum.cn import uscc

    code = names.credit_code(7, "440305")
    assert len(code) == 18 and code.startswith("91440305MA5")
    assert not uscc.is_valid(code)
    assert uscc.is_valid(code[:17] + uscc.calc_check_digit(code[:17]))


def test_project_names_never_double_a_word_and_first_machine_only_for_equipment():
    phone = {"name_zh": "智能手机", "name_en": "smartphone", "kind": "product"}
    worded = [zh for zh, _ in names.project_names(phone, 20)]
    assert worded and not any("智能智能" in zh or "全国首台" in zh for zh in worded)
    switch = {"name_zh": "数字程控交换机", "name_en": "digital switch", "kind": "equipment"}
    assert any(zh.startswith("全国首台") for zh, _ in names.project_names(switch, 3))
