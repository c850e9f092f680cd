#!/usr/bin/env python3
"""Writes python-tests-only rubrics (the python-foundations hidden tests and
reference solution) and N submissions of grades.py for Benchmarks/python.sh,
batch.sh and exercises.sh: most correct, some with the bugs teachers make (no
error on an empty list, a mutated argument).

With EXERCISES > 1 there are that many rubrics (bench-python-0, ...), each with
tests of its own (the same tests, told apart by a comment, so each is a
different suite to the engine), and the N submissions are spread over them.
A SPARE count writes that many more submissions per exercise under spare/.

Usage: generate_python_submissions.py OUT_DIR N [EXERCISES [SPARE]]
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RUBRIC = """<?xml version="1.0" encoding="UTF-8"?>
<microcredential xmlns="urn:mastery:rubric:1" id="{id}" version="1.0.0">
  <title>Benchmark Python</title>
  <issuer name="Benchmark District PD"/>
  <competency>Writes and tests a grade calculator.</competency>
  <levels>
    <level id="not-yet" score="0">Not yet</level>
    <level id="proficient" score="1">Proficient</level>
  </levels>
  <evidence>
    <item id="code" kind="folder" path="code">The code</item>
  </evidence>
  <criteria>
    <criterion id="correctness" evidence="code">
      <title>Correctness</title>
      <evaluator kind="python-tests" tests="tests" reference="reference" timeout="10s">
        <level-at passed="80%" level="proficient"/>
      </evaluator>
    </criterion>
  </criteria>
  <mastery>
    <every-criterion at-least="proficient"/>
  </mastery>
</microcredential>
"""


def submission(folder, credential, candidate, code):
    os.makedirs(os.path.join(folder, "code"), exist_ok=True)
    with open(os.path.join(folder, "submission.xml"), "w") as handle:
        handle.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:mastery:submission:1" credential="{credential}" version="1.0.0">
  <candidate id="{candidate}"/>
  <submitted>2026-11-20T10:00:00Z</submitted>
</submission>
""")
    with open(os.path.join(folder, "code", "grades.py"), "w") as handle:
        handle.write(code)


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    exercises = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    spare = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    source = os.path.join(ROOT, "rubrics", "python-foundations")
    ids = ["bench-python"] if exercises == 1 else [f"bench-python-{index}" for index in range(exercises)]
    for index, credential in enumerate(ids):
        rubric = os.path.join(out, "rubrics", credential)
        os.makedirs(rubric, exist_ok=True)
        with open(os.path.join(rubric, "rubric.xml"), "w") as handle:
            handle.write(RUBRIC.replace("{id}", credential))
        for folder in ("tests", "reference"):
            shutil.copytree(os.path.join(source, folder), os.path.join(rubric, folder), dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
        if exercises > 1:
            with open(os.path.join(rubric, "tests", "test_grades.py"), "a") as handle:
                handle.write(f"\n# exercise {index}\n")
    good = open(os.path.join(ROOT, "submissions", "python-foundations", "grace-kim", "code", "grades.py")).read()
    buggy = open(os.path.join(ROOT, "submissions", "python-foundations", "tom-brennan", "code", "grades.py")).read()
    for number in range(count):
        submission(os.path.join(out, "submissions", f"{number:04d}"), ids[number % len(ids)], f"t-{number:04d}",
                   buggy if number % 4 == 3 else good)
    for number in range(spare * len(ids)):
        submission(os.path.join(out, "spare", f"{number:04d}"), ids[number % len(ids)], f"s-{number:04d}", good)


if __name__ == "__main__":
    main()
