"""Print each student's lab-quiz percent and letter from a gradebook export.

Usage:  python3 lab_report.py sample_scores.csv

The CSV has a student number in the first column and one quiz score (out of
20) in each other column; blank cells are quizzes not taken yet and are skipped.
"""

import csv
import sys

from grades import drop_lowest, letter_grade, percent

POINTS_PER_QUIZ = 20


def main(path):
    with open(path, newline="") as file:
        rows = csv.reader(file)
        next(rows)                                  # header row
        for student, *cells in rows:
            scores = [float(cell) for cell in cells if cell.strip()]
            if not scores:
                print(f"{student}: no quizzes yet")
                continue
            kept = drop_lowest(scores)
            result = percent(sum(kept), POINTS_PER_QUIZ * len(kept))
            print(f"{student}: {result:.1f}% {letter_grade(result)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample_scores.csv")
