#!/usr/bin/env python3
"""Writes the pathological inputs of Benchmarks/pathological.sh into FOLDER: valid
documents with one element repeated until the file is near its size limit, each
repeat a finding (a duplicate id, a duplicate answer, an unexpected element), in
two layouts: one repeat per line, and all of them on one line.

Usage: generate_pathological.py FOLDER REPO_ROOT"""
import os
import re
import sys

folder, root = sys.argv[1], sys.argv[2]
os.makedirs(folder, exist_ok=True)


def fill(text, unit, limit, layout):
    """text with `unit` repeated in its place until the whole is just under `limit` bytes."""
    room = limit - len(text.encode()) - 1024
    joiner = "\n" if layout == "lines" else ""
    count = room // len((unit + joiner).encode())
    return text.replace(unit, joiner.join([unit] * count), 1), count


rubric = open(os.path.join(root, "rubrics/digital-literacy/rubric.xml")).read()
prompt = re.search(r"<prompt [^\n]*</prompt>", rubric).group(0)
manifest = open(os.path.join(root, "submissions/digital-literacy/maria-lopez/submission.xml")).read()
affirm = re.search(r"<affirm [^\n]*", manifest).group(0)
reviews = open(os.path.join(root, "submissions/reviews.xml")).read()
feedback = re.search(r"<feedback>.*?</feedback>", reviews, re.S).group(0)

for layout in ("lines", "one-line"):
    text, count = fill(rubric, prompt, 4 << 20, layout)  # the rubric size limit
    open(os.path.join(folder, f"rubric-{layout}.xml"), "w").write(text)
    os.makedirs(os.path.join(folder, f"submission-{layout}"), exist_ok=True)
    text, count = fill(manifest, affirm, 1 << 20, layout)  # the manifest size limit
    open(os.path.join(folder, f"submission-{layout}", "submission.xml"), "w").write(text)
    text, count = fill(reviews, feedback, 16 << 20, layout)  # a quarter of the review document limit
    open(os.path.join(folder, f"reviews-{layout}.xml"), "w").write(text)
