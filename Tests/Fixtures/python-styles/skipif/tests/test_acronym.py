import sys

import pytest

import acronym


def test_basic_phrase():
    assert acronym.abbreviate("Portable Network Graphics") == "PNG"


def test_lowercase_words():
    assert acronym.abbreviate("Ruby on Rails") == "ROR"


def test_hyphen_separates_words():
    assert acronym.abbreviate("Complementary metal-oxide semiconductor") == "CMOS"


def test_punctuation_is_ignored():
    assert acronym.abbreviate("Halley's Comet") == "HC"


@pytest.mark.skipif(sys.version_info >= (3,), reason="Python 2 only: byte strings were accepted there")
def test_byte_string_phrase():
    assert acronym.abbreviate(b"Portable Network Graphics") == "PNG"


def test_strict_mode_rejects_empty_phrase():
    if not hasattr(acronym, "abbreviate_strict"):
        pytest.skip("abbreviate_strict is an optional extension")
    with pytest.raises(ValueError):
        acronym.abbreviate_strict("")
