from isbn import is_valid

from cases import VALID


def test_empty_string():
    assert is_valid("") is False


def test_lowercase_x_is_not_a_check_digit():
    assert is_valid("3-598-21507-x") is False


def test_result_is_a_bool():
    assert all(is_valid(isbn) is True for isbn in VALID)
