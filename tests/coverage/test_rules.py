"""Every rule of docs/data.md "Bad rows" has a Vietnamese label."""

from __future__ import annotations

from ansinh.coverage.reference import RULES
from ansinh.coverage.rules import RULE_LABELS, rule_label


def test_every_rule_has_a_label():
    assert list(RULE_LABELS) == list(RULES)
    assert rule_label("person.duplicate") == "Số định danh cá nhân xuất hiện nhiều lần"
    assert rule_label("something.new") == "something.new"
