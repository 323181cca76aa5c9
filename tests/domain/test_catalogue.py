"""The dispatch-catalogue precedence and derived category codes."""

from __future__ import annotations

import hashlib

import pytest

from hotline_tui.domain.catalogue import category_code, path_keys, pick_rule

# Category keys: leaf "a/b/c" under branch "a/b" under class "a"; areas: street S in district D
# in city C.
LEAF = ["a/b/c", "a/b", "a"]
STREET = ["S", "D", "C"]


def test_no_rules_and_no_match():
    assert pick_rule({}, LEAF, STREET) is None
    assert pick_rule({("x", None): "other"}, LEAF, STREET) is None
    assert pick_rule({("a", "X"): "elsewhere"}, LEAF, STREET) is None


def test_area_less_rule_on_an_ancestor_category_is_the_fallback():
    assert pick_rule({("a", None): "class"}, LEAF, STREET) == "class"
    assert pick_rule({("a", None): "class"}, LEAF, []) == "class"


def test_more_specific_category_beats_a_nearer_area():
    rules = {("a", "S"): "street-class", ("a/b", None): "branch-anywhere"}
    assert pick_rule(rules, LEAF, STREET) == "branch-anywhere"


def test_nearest_area_wins_within_a_category():
    rules = {("a", None): "any", ("a", "C"): "city", ("a", "D"): "district"}
    assert pick_rule(rules, LEAF, STREET) == "district"
    assert pick_rule(rules, LEAF, ["D", "C"]) == "district"
    assert pick_rule(rules, LEAF, ["C"]) == "city"
    assert pick_rule(rules, LEAF, ["Y"]) == "any"
    assert pick_rule(rules, LEAF, []) == "any"


def test_area_rule_beats_area_less_rule_on_the_same_category():
    rules = {("a/b/c", None): "leaf", ("a/b/c", "C"): "leaf-city"}
    assert pick_rule(rules, LEAF, STREET) == "leaf-city"
    assert pick_rule(rules, LEAF, ["Z"]) == "leaf"


def test_full_precedence_order():
    keys = [(cat, area) for cat in LEAF for area in [*STREET, None]]
    rules = {key: key for key in keys}
    # Removing the winner each time walks the documented order exactly.
    for expected in keys:
        assert pick_rule(rules, LEAF, STREET) == expected
        del rules[expected]
    assert pick_rule(rules, LEAF, STREET) is None


def test_falsy_rule_values_are_still_rules():
    assert pick_rule({("a/b", None): 0, ("a", None): 7}, LEAF, STREET) == 0


def test_path_keys():
    assert path_keys(("a", "b", "c")) == LEAF
    assert path_keys(("a",)) == ["a"]
    assert path_keys(()) == []


@pytest.mark.parametrize(
    "path", [("城乡建设", "安全生产", "事故处理"), ("城乡建设",), ("a", "b"), ("教育", "学前")]
)
def test_category_code_is_stable_and_derived_from_the_path(path):
    code = category_code(path)
    digest = hashlib.sha1("/".join(path).encode("utf-8")).hexdigest()
    assert code == "C" + digest[:10].upper()
    assert code == category_code(list(path))
    assert len(code) == 11 and code.isascii() and code.isalnum()


def test_category_codes_differ_between_paths():
    assert category_code(("城乡建设", "安全生产")) != category_code(
        ("城乡建设", "安全生产", "其他")
    )
    # The joined text is what counts: this is why the importers refuse "/" inside a name.
    assert category_code(("a", "b")) == category_code(("a/b",))
    assert (
        category_code(("城乡建设", "安全生产"))
        == "C" + hashlib.sha1("城乡建设/安全生产".encode()).hexdigest()[:10].upper()
    )
