"""My own checks for grades.py. Run with:  python3 -m pytest test_my_grades.py"""

import pytest

from grades import average, drop_lowest, letter_grade, percent


def test_a_typical_lab_quiz_row():
    quizzes = [18, 20, 12, 19, 17]          # out of 20 each
    kept = drop_lowest(quizzes)
    assert kept == [18, 20, 19, 17]
    assert percent(sum(kept), 20 * len(kept)) == pytest.approx(92.5)
    assert letter_grade(percent(sum(kept), 80)) == "A"


def test_the_gradebook_row_is_not_changed():
    row = [15, 9, 20]
    drop_lowest(row)
    assert row == [15, 9, 20]


def test_new_student_with_no_scores():
    with pytest.raises(ValueError):
        average([])


def test_assignment_with_no_points_set():
    with pytest.raises(ValueError):
        percent(5, 0)


@pytest.mark.parametrize("score, letter", [(100, "A"), (103.5, "A"), (90, "A"), (89.5, "B"),
                                           (70, "C"), (60, "D"), (59.9, "F"), (0, "F")])
def test_letters(score, letter):
    assert letter_grade(score) == letter
