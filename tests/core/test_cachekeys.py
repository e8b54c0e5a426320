"""Cache keys are built from the structured inputs, so that different inputs never share an entry."""

import pytest

from comptoir.core.cachekeys import cache_key


def test_inputs_that_joined_with_colons_collided_get_different_keys():
    assert ":".join(["drill:bosk", ""]) == ":".join(["drill", "bosk:"])
    assert cache_key("catalogue-filters", "drill:bosk", "") != cache_key("catalogue-filters", "drill", "bosk:")


def test_none_and_the_text_none_get_different_keys():
    assert cache_key("k", None) != cache_key("k", "None")
    assert cache_key("k", 1) != cache_key("k", "1")


def test_the_same_inputs_get_the_same_key_and_sets_in_any_order():
    assert cache_key("k", "a", frozenset({3, 1, 2})) == cache_key("k", "a", frozenset({2, 3, 1}))
    assert cache_key("k", "a", [1, 2]) == cache_key("k", "a", (1, 2))


def test_namespaces_keep_keys_apart_and_keys_stay_short():
    assert cache_key("catalog:page", "x") != cache_key("catalog:choices", "x")
    assert len(cache_key("catalog:page", "x" * 10_000)) == len("catalog:page:") + 64


def test_a_value_with_no_plain_form_is_refused():
    with pytest.raises(TypeError):
        cache_key("k", object())
