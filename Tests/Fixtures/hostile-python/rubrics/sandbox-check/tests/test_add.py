import solution


def test_add():
    assert solution.add(2, 3) == 5


def test_add_negative():
    assert solution.add(-1, 1) == 0
