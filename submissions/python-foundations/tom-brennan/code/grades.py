# grades.py - Mr. Brennan's grade helper for 7th grade math
# Works out test averages and letter grades for my progress reports.

def average(scores):
    # mean of the scores
    if len(scores) == 0:
        return 0  # no scores yet
    total = 0
    for s in scores:
        total = total + s
    return total / len(scores)


def percent(earned, possible):
    # points earned out of points possible, as a percent
    return earned / possible * 100


def letter_grade(percent):
    # round to a whole number first, like the report card does
    p = round(percent)
    if p >= 90:
        return "A"
    elif p >= 80:
        return "B"
    elif p >= 70:
        return "C"
    elif p >= 60:
        return "D"
    else:
        return "F"


def drop_lowest(scores):
    # take out the lowest score (we drop one quiz each quarter)
    if len(scores) < 2:
        return scores
    scores.remove(min(scores))
    return scores
