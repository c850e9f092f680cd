"""Rewrite every STYLE/expected.json from what pytest itself reports.

Usage: python3 expectations.py

For each style folder and each candidate (correct, broken) it runs, from
inside STYLE/tests,

    PYTHONPATH=../CANDIDATE/code python3 -m pytest -p no:cacheprovider --rootdir=. -q

with a small plugin that records pytest's own outcome of every test and
its summary counts. It also checks that the reference solution passes.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")

# Loaded into pytest with -p; writes {"counts": ..., "tests": ...} to $EXPECTATIONS_OUT.
PLUGIN = '''
import json, os

_tests = {}

def pytest_runtest_logreport(report):
    # The same category pytest's own summary line puts this report in.
    category = _config.hook.pytest_report_teststatus(report=report, config=_config)[0]
    if category and _tests.get(report.nodeid) in (None, "passed"):
        _tests[report.nodeid] = category

def pytest_configure(config):
    global _config
    _config = config

def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    counts = {kind: len(stats.get(kind, [])) for kind in %r}
    with open(os.environ["EXPECTATIONS_OUT"], "w") as out:
        json.dump({"counts": counts, "tests": _tests}, out)
''' % (KINDS,)


def run(tests, code, plugin_dir):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, EXPECTATIONS_OUT=out.name, PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join([str(code), str(plugin_dir)]))
        subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir=.", "-q",
                        "-p", "expectations_plugin"], cwd=tests, env=env, stdout=subprocess.DEVNULL)
        return json.load(open(out.name))


def main():
    with tempfile.TemporaryDirectory() as plugin_dir:
        Path(plugin_dir, "expectations_plugin.py").write_text(PLUGIN)
        for style in sorted(p.parent for p in HERE.glob("*/rubric.xml")):
            tests = style / "tests"
            reference = run(tests, style / "reference", plugin_dir)
            bad = {node: outcome for node, outcome in reference["tests"].items()
                   if outcome not in ("passed", "skipped", "xfailed", "xpassed")}
            if bad:
                sys.exit(f"{style.name}: the reference does not pass: {bad}")
            expected = {kind: run(tests, style / kind / "code", plugin_dir) for kind in ("correct", "broken")}
            (style / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
            print(style.name, *(f"{kind}={expected[kind]['counts']}" for kind in expected))


if __name__ == "__main__":
    main()
