#!/usr/bin/env python3
"""Writes a python-tests-only rubric (the python-foundations hidden tests) and N
submissions of grades.py for Benchmarks/python.sh: most correct, some with the
bugs teachers make (no error on an empty list, a mutated argument).

Usage: generate_python_submissions.py OUT_DIR N
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RUBRIC = """<?xml version="1.0" encoding="UTF-8"?>
<microcredential xmlns="urn:mastery:rubric:1" id="bench-python" version="1.0.0">
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
      <evaluator kind="python-tests" tests="tests" timeout="10s">
        <level-at passed="80%" level="proficient"/>
      </evaluator>
    </criterion>
  </criteria>
  <mastery>
    <every-criterion at-least="proficient"/>
  </mastery>
</microcredential>
"""


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rubric = os.path.join(out, "rubrics", "bench-python")
    os.makedirs(rubric, exist_ok=True)
    with open(os.path.join(rubric, "rubric.xml"), "w") as handle:
        handle.write(RUBRIC)
    shutil.copytree(os.path.join(ROOT, "rubrics", "python-foundations", "tests"), os.path.join(rubric, "tests"),
                    dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    good = open(os.path.join(ROOT, "submissions", "python-foundations", "grace-kim", "code", "grades.py")).read()
    buggy = open(os.path.join(ROOT, "submissions", "python-foundations", "tom-brennan", "code", "grades.py")).read()
    for number in range(count):
        folder = os.path.join(out, "submissions", f"{number:04d}")
        os.makedirs(os.path.join(folder, "code"), exist_ok=True)
        with open(os.path.join(folder, "submission.xml"), "w") as handle:
            handle.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:mastery:submission:1" credential="bench-python" version="1.0.0">
  <candidate id="t-{number:04d}"/>
  <submitted>2026-11-20T10:00:00Z</submitted>
</submission>
""")
        with open(os.path.join(folder, "code", "grades.py"), "w") as handle:
            handle.write(buggy if number % 4 == 3 else good)


if __name__ == "__main__":
    main()
