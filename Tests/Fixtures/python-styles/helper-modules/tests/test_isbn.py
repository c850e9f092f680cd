import pytest

from isbn import is_valid

from cases import INVALID, VALID


@pytest.mark.parametrize("isbn", VALID)
def test_valid(isbn):
    assert is_valid(isbn)


@pytest.mark.parametrize("isbn", INVALID)
def test_invalid(isbn):
    assert not is_valid(isbn)
