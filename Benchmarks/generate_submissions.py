#!/usr/bin/env python3
"""Writes a checklist-and-text rubric and N submissions for Benchmarks/grade.sh.

Usage: generate_submissions.py OUT_DIR N [SEED]
OUT_DIR/rubrics/bench-literacy/rubric.xml and OUT_DIR/submissions/NNNNN/
(submission.xml, reflection.md of about 300 words, a lesson file, two
attachments). About two thirds earn; the rest miss checks, headings or files.
"""
import os
import random
import sys

RUBRIC = """<?xml version="1.0" encoding="UTF-8"?>
<microcredential xmlns="urn:mastery:rubric:1" id="bench-literacy" version="1.0.0">
  <title>Benchmark Literacy</title>
  <issuer name="Benchmark District PD"/>
  <competency>Teaches students to evaluate online sources.</competency>
  <levels>
    <level id="not-yet" score="0">Not yet</level>
    <level id="developing" score="1">Developing</level>
    <level id="proficient" score="2">Proficient</level>
    <level id="exemplary" score="3">Exemplary</level>
  </levels>
  <evidence>
    <item id="lesson" kind="file" path="lesson.pdf">The lesson plan</item>
    <item id="reflection" kind="text" path="reflection.md" min-words="200" max-words="600">Reflection</item>
  </evidence>
  <criteria>
    <criterion id="practices" weight="2" evidence="lesson">
      <title>Lesson practices</title>
      <descriptor level="proficient">Most practices, with evidence.</descriptor>
      <descriptor level="exemplary">Every practice, with evidence.</descriptor>
      <evaluator kind="checklist">
{checks}        <level-at affirmed="100%" level="exemplary"/>
        <level-at affirmed="70%" level="proficient"/>
        <level-at affirmed="40%" level="developing"/>
      </evaluator>
    </criterion>
    <criterion id="reflection" evidence="reflection">
      <title>Reflection</title>
      <descriptor level="proficient">Within limits, most sections answered.</descriptor>
      <evaluator kind="text">
        <prompt id="lesson" heading="The Lesson"/>
        <prompt id="students" heading="What Students Did"/>
        <prompt id="next" heading="Next Steps"/>
        <level-at met="100%" level="exemplary"/>
        <level-at met="75%" level="proficient"/>
        <level-at met="50%" level="developing"/>
      </evaluator>
    </criterion>
  </criteria>
  <mastery>
    <every-criterion at-least="proficient"/>
    <total at-least="70%"/>
  </mastery>
</microcredential>
"""

WORDS = ("students compared three sources about the same claim and traced the statistic back to the "
         "original report before deciding whether the site could be trusted for their research").split()


def paragraph(rng, count):
    return " ".join(rng.choice(WORDS) for _ in range(count))


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    attachment = ' attachment="required"'
    checks = "".join(
        f'        <check id="c{i}" required="{"true" if i < 2 else "false"}"'
        f'{attachment if i == 1 else ""}>Practice {i} was part of the lesson.</check>\n'
        for i in range(7))
    os.makedirs(f"{out}/rubrics/bench-literacy", exist_ok=True)
    with open(f"{out}/rubrics/bench-literacy/rubric.xml", "w") as handle:
        handle.write(RUBRIC.replace("{checks}", checks))
    for number in range(count):
        folder = f"{out}/submissions/{number:05d}"
        os.makedirs(f"{folder}/attachments", exist_ok=True)
        weak = number % 3 == 2
        affirmed = range(7) if not weak else rng.sample(range(7), 3)
        lines = []
        for check in affirmed:
            attachment = ' file="attachments/evidence.pdf"' if check == 1 else ""
            lines.append(f'    <affirm check="c{check}"{attachment}/>')
        manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:mastery:submission:1" credential="bench-literacy" version="1.0.0" attempt="1">
  <candidate id="t-{number:05d}" name="Teacher {number}"/>
  <submitted>2026-11-20T10:00:00Z</submitted>
  <evidence>
    <answer item="lesson" path="lesson.pdf"/>
    <answer item="reflection" path="reflection.md"/>
  </evidence>
  <checklist criterion="practices">
{chr(10).join(lines)}
  </checklist>
</submission>
"""
        with open(f"{folder}/submission.xml", "w") as handle:
            handle.write(manifest)
        headings = ["The Lesson", "What Students Did", "Next Steps"][: 2 if weak else 3]
        with open(f"{folder}/reflection.md", "w") as handle:
            for heading in headings:
                handle.write(f"## {heading}\n\n{paragraph(rng, 100)}\n\n")
        with open(f"{folder}/lesson.pdf", "w") as handle:
            handle.write("%PDF-1.4 lesson plan " + paragraph(rng, 200))
        with open(f"{folder}/attachments/evidence.pdf", "w") as handle:
            handle.write("%PDF-1.4 student samples " + paragraph(rng, 100))


if __name__ == "__main__":
    main()
