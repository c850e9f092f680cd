#!/usr/bin/env python3
"""Writes N valid rubrics of realistic size and variety for Benchmarks/validate.sh.

Usage: generate_rubrics.py OUT_DIR [N] [SEED]
Each rubric has 3-12 criteria mixing every evaluator kind, 4 levels,
descriptors for each level, and a mastery policy; a tests/ folder and a
bin/grader script are written beside them for python-tests and command.
"""
import os
import random
import sys

KINDS = ["checklist", "text", "python-tests", "web", "reviewer", "command"]
TOPICS = ["Formative Assessment", "Computational Thinking", "Digital Literacy", "Arts Integration",
          "Classroom Culture", "Virtual Teaching", "STEAM Learning", "TESOL Preparation"]
LEVELS = [("not-yet", 0, "Not yet"), ("developing", 1, "Developing"),
          ("proficient", 2, "Proficient"), ("exemplary", 3, "Exemplary")]


def mapping(attribute):
    return (f'        <level-at {attribute}="90%" level="exemplary"/>\n'
            f'        <level-at {attribute}="70%" level="proficient"/>\n'
            f'        <level-at {attribute}="40%" level="developing"/>\n')


def evaluator(kind, rng, index):
    if kind == "checklist":
        checks = "".join(
            f'        <check id="c{i}" required="{"true" if i == 0 else "false"}">Practice number {i} was part of the lesson.</check>\n'
            for i in range(rng.randint(3, 7)))
        return f'      <evaluator kind="checklist">\n{checks}{mapping("affirmed")}      </evaluator>\n'
    if kind == "text":
        prompts = "".join(f'        <prompt id="p{i}" heading="Section {i}">Answer question {i}.</prompt>\n'
                          for i in range(rng.randint(1, 4)))
        return f'      <evaluator kind="text" min-words="150" max-words="700">\n{prompts}{mapping("met")}      </evaluator>\n'
    if kind == "python-tests":
        return (f'      <evaluator kind="python-tests" tests="tests" timeout="10s" memory="256MiB">\n'
                f'        <points test="test_grades.py::test_{index}" value="2"/>\n{mapping("passed")}      </evaluator>\n')
    if kind == "web":
        return ('      <evaluator kind="web" pages="index.html" checks="well-formed accessibility links">\n'
                '        <assert id="h1" xpath="count(//h1) = 1">Use exactly one h1.</assert>\n'
                '        <assert id="nav" select="nav a[href]" min="3">Link three pages from a nav.</assert>\n'
                f'{mapping("passed")}      </evaluator>\n')
    if kind == "reviewer":
        return f'      <evaluator kind="reviewer" reviewers="{rng.randint(1, 3)}" max-disagreement="1"/>\n'
    return '      <evaluator kind="command" run="bin/grader" timeout="30s"/>\n'


def rubric(number, rng):
    topic = rng.choice(TOPICS)
    count = rng.randint(3, 12)
    evidence = "".join(
        f'    <item id="e{i}" kind="{"text" if i % 2 else "folder"}" path="part{i}">Evidence part {i} for the {topic.lower()} submission.</item>\n'
        for i in range(count))
    criteria = []
    for i in range(count):
        kind = KINDS[(number + i) % len(KINDS)]
        descriptors = "".join(
            f'      <descriptor level="{lid}">{label} work on criterion {i}: a description a teacher reads, long enough to be realistic.</descriptor>\n'
            for lid, _, label in LEVELS)
        criteria.append(
            f'    <criterion id="k{i}" weight="{rng.randint(1, 3)}" evidence="e{i}">\n'
            f'      <title>Criterion {i} of {topic}</title>\n{descriptors}{evaluator(kind, rng, i)}    </criterion>\n')
    levels = "".join(f'    <level id="{lid}" score="{score}">{label}</level>\n' for lid, score, label in LEVELS)
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<microcredential xmlns="urn:mastery:rubric:1" id="bench-{number:04d}" version="1.{number % 7}.0">
  <title>{topic} {number}</title>
  <issuer name="Benchmark District PD" url="https://pd.example.org"/>
  <competency>The educator applies {topic.lower()} practices in a real classroom.</competency>
  <alignment framework="ISTE Standards for Educators" code="5b"/>
  <levels>
{levels}  </levels>
  <evidence>
{evidence}  </evidence>
  <criteria>
{"".join(criteria)}  </criteria>
  <mastery>
    <every-criterion at-least="developing"/>
    <criterion ref="k0" at-least="proficient"/>
    <total at-least="70%"/>
    <attempts policy="latest" max="3"/>
  </mastery>
</microcredential>
'''


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    os.makedirs(os.path.join(out, "tests"), exist_ok=True)
    os.makedirs(os.path.join(out, "bin"), exist_ok=True)
    grader = os.path.join(out, "bin", "grader")
    with open(grader, "w") as handle:
        handle.write("#!/bin/sh\n")
    os.chmod(grader, 0o755)
    for number in range(count):
        with open(os.path.join(out, f"rubric-{number:04d}.xml"), "w") as handle:
            handle.write(rubric(number, rng))


if __name__ == "__main__":
    main()
