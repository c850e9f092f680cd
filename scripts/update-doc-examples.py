#!/usr/bin/env python3
"""Re-runs every `$ mastery ...` example in README.md and docs/*.md console
blocks and writes what it prints (stdout, then stderr, then `[exit N]` when
not 0) below it. Run after an intended output change (`make docs`); the test
suite fails while an example is stale."""
import glob
import os
import re
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, ".build", "debug", "mastery")


def run(command):
    words = command.split(" ")
    # As in the tests: each example its own new ledger, and nothing from the shell's CI settings.
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "NO_COLOR")}
    with tempfile.TemporaryDirectory() as folder:
        environment["MASTERY_LEDGER"] = os.path.join(folder, "ledger.sqlite")
        result = subprocess.run([binary] + words[1:], cwd=root, capture_output=True, text=True, env=environment)
    out = result.stdout + result.stderr
    if result.returncode != 0:
        out += f"[exit {result.returncode}]\n"
    return out


def matches(line, pattern):
    regex = ".*".join(re.escape(part) for part in pattern.split("…"))
    return re.fullmatch(regex, line) is not None


def update(path):
    lines = open(path).read().split("\n")
    out, in_console, index = [], False, 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            in_console = (line == "```console") and not in_console
            out.append(line)
            index += 1
            continue
        if in_console and line.startswith("$ "):
            out.append(line)
            output = run(line[2:])
            # One final newline ends the last line; any blank line before it is output too.
            if output.endswith("\n"):
                output = output[:-1]
            new = output.split("\n") if output else []
            index += 1
            old = []
            while index < len(lines) and not lines[index].startswith("$ ") and not lines[index].startswith("```"):
                old.append(lines[index])
                index += 1
            # An old line with an ellipsis (any text) that still matches is kept as written.
            if len(old) == len(new):
                new = [o if "…" in o and matches(n, o) else n for o, n in zip(old, new)]
            out.extend(new)
            continue
        out.append(line)
        index += 1
    text = "\n".join(out)
    if text != open(path).read():
        open(path, "w").write(text)
        print(f"updated {os.path.relpath(path, root)}")


for path in [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md"))):
    update(path)
