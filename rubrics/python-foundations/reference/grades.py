"""Reference solution for the Python Foundations hidden tests (rubric author's copy).

mastery runs the hidden tests on this file before grading anyone: every test
must pass here, or the tests themselves are wrong and grading stops with a
grader error. Candidates never see it.

Examples:

    >>> average([80, 90, 100])
    90.0
    >>> percent(45, 50)
    90.0
    >>> letter_grade(89.99)
    'B'
    >>> drop_lowest([88, 72, 95])
    [88, 95]
"""

# Lowest percent for each letter, highest first. A score exactly on a cut-off
# gets the higher letter (80 is a B), and anything 90 or above is an A, so
# extra credit over 100 still counts as an A.
CUTOFFS = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]


def average(scores):
    """Return the mean of a list of scores.

    An empty list raises ValueError: a student with no scores yet should show
    up as a problem, not quietly as a 0.
    """
    if len(scores) == 0:
        raise ValueError("cannot average an empty list of scores")
    return sum(scores) / len(scores)


def percent(earned, possible):
    """Return earned points as a percent of possible points (45 of 50 is 90.0).

    Raises ValueError when possible is 0 or negative, which usually means the
    assignment was set up wrong in the gradebook.
    """
    if possible <= 0:
        raise ValueError(f"possible points must be more than 0, not {possible}")
    return earned / possible * 100


def letter_grade(percent):
    """Return the letter for a percent using the cut-offs above.

    The percent is not rounded first: 89.99 is a B. Our school rounds only on
    the report card, and that is a decision for a person, not this program.
    """
    for cutoff, letter in CUTOFFS:
        if percent >= cutoff:
            return letter
    return "F"


def drop_lowest(scores):
    """Return a new list without one lowest score, the others in their order.

    The list passed in is never changed, because it is usually a row from the
    gradebook that I still need. If two scores tie for lowest, only the first
    one is dropped. With fewer than two scores there is nothing to drop, so
    the result is a copy of the list.
    """
    if len(scores) < 2:
        return list(scores)
    lowest = scores.index(min(scores))
    return scores[:lowest] + scores[lowest + 1:]
