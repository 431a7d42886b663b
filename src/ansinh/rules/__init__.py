"""The dated rules registry: every legal figure with its dates and legal basis (see `registry`).

`rule_value`, `rule_method` and `rule_in_force` are what other apps call.
"""

from ansinh.rules.registry import RuleInForce, RuleNotInForce, rule_in_force, rule_method, rule_value, shipped_rule_value

__all__ = ["RuleInForce", "RuleNotInForce", "rule_in_force", "rule_method", "rule_value", "shipped_rule_value"]
