"""Hidden tests for the Python Foundations microcredential (rubric.xml beside this folder).

The candidate submits a folder `code` containing a module `grades.py`. The grader
runs these tests against it in the sandbox, with that folder on the import path,
so `import grades` finds the candidate's module.

grades.py must define these four functions:

    average(scores)             -> float
        The mean of a list of numbers. Raises ValueError for an empty list.

    percent(earned, possible)   -> float
        earned / possible * 100. Raises ValueError when possible is 0 or less.

    letter_grade(percent)       -> str
        "A" for 90 and above (extra credit above 100 is still "A"),
        "B" for 80 up to 90, "C" for 70 up to 80, "D" for 60 up to 70,
        "F" below 60. Each boundary belongs to the higher grade: 80 is a "B".

    drop_lowest(scores)         -> list
        A new list with one lowest score removed and the other scores in their
        original order. The caller's list is not changed. With fewer than two
        scores, returns an unchanged copy.

Points: every test is worth 1 point unless rubric.xml gives it more with <points>.
Keep test names stable: rubric.xml refers to them as "test_grades.py::NAME".
"""

import pytest

import grades


# --- average(scores) -------------------------------------------------------

def test_average_of_scores():
    assert grades.average([80, 90, 100]) == pytest.approx(90.0)
    assert grades.average([72.5, 88]) == pytest.approx(80.25)
    assert grades.average([64]) == pytest.approx(64.0), "the average of one score is that score"


def test_average_of_empty_list_raises():
    # A student with no scores yet must not silently get 0 (or crash with ZeroDivisionError).
    with pytest.raises(ValueError):
        grades.average([])


# --- percent(earned, possible) ---------------------------------------------

def test_percent_of_points():
    assert grades.percent(45, 50) == pytest.approx(90.0)
    assert grades.percent(7, 8) == pytest.approx(87.5)
    assert grades.percent(0, 20) == pytest.approx(0.0)


def test_percent_with_zero_possible_raises():
    with pytest.raises(ValueError):
        grades.percent(10, 0)


# --- letter_grade(percent) -------------------------------------------------

def test_letter_grade_at_boundaries():
    for percent, expected in [(90, "A"), (80, "B"), (70, "C"), (60, "D")]:
        assert grades.letter_grade(percent) == expected, (
            f"letter_grade({percent}) should be {expected!r}: a boundary belongs to the higher grade"
        )


def test_letter_grade_just_below_boundaries():
    for percent, expected in [(89.99, "B"), (79.5, "C"), (69.9, "D"), (59.99, "F")]:
        assert grades.letter_grade(percent) == expected, (
            f"letter_grade({percent}) should be {expected!r}: do not round up before grading"
        )


def test_letter_grade_extra_credit_and_zero():
    assert grades.letter_grade(104) == "A", "extra credit above 100% is still an A"
    assert grades.letter_grade(100) == "A"
    assert grades.letter_grade(0) == "F"


# --- drop_lowest(scores) ---------------------------------------------------

def test_drop_lowest_removes_one_lowest_score():
    assert grades.drop_lowest([88, 72, 95]) == [88, 95]
    # Only one of two equal lowest scores is dropped, and the order is kept.
    assert grades.drop_lowest([70, 85, 70, 90]) == [85, 70, 90]


def test_drop_lowest_leaves_the_callers_list_unchanged():
    scores = [88, 72, 95]
    result = grades.drop_lowest(scores)
    assert scores == [88, 72, 95], "drop_lowest must not change the list it was given"
    assert result is not scores, "drop_lowest must return a new list"


def test_drop_lowest_with_one_score():
    scores = [77]
    assert grades.drop_lowest(scores) == [77], "with a single score there is nothing to drop"
    assert grades.drop_lowest([]) == []
