import pytest

from pangram import is_pangram


def test_empty_sentence():
    assert is_pangram("") is False


def test_lowercase_pangram():
    assert is_pangram("the quick brown fox jumps over the lazy dog") is True


def test_missing_letter():
    assert is_pangram("a quick movement of the enemy will jeopardize five gunboats") is False


def test_letter_only_in_capitals():
    assert is_pangram("Five quacking Zephyrs jolt my wax bed.") is True


@pytest.mark.xfail(reason="only the English alphabet is supported for now")
def test_greek_pangram():
    assert is_pangram("Ξεσκεπάζω την ψυχοφθόρα βδελυγμία") is True


@pytest.mark.xfail(reason="underscores used to be treated as word characters")
def test_underscores_between_words():
    assert is_pangram("the_quick_brown_fox_jumps_over_the_lazy_dog") is True
