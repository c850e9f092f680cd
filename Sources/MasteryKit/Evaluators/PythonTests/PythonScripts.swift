/// The Python the engine writes into python-tests runs. Kept here, beside the Swift that reads
/// what they print, so one change covers both sides.
enum PythonScripts {
  /// Runs pytest inside the sandbox and writes the JSON report `PytestReport` reads.
  static let runner = #"""
    # mastery's pytest runner, written into every python-tests run (engine/run_tests.py).
    # Usage: run_tests.py MODE REPORT [pytest arguments]. MODE is
    #   reference  the author's tests on the reference solution: what pytest collects, each outcome;
    #   stand-ins  the same collection without a reference: modules the tests import that do not
    #              exist are stand-ins whose every attribute is a harmless object;
    #   candidate  the author's tests (and this run's canaries) on the candidate's code.
    # The report is JSON; the engine trusts the first two modes (only the author's files run) and
    # checks the third against them.
    import json, os, random, re, shutil, sys

    mode, report_path = sys.argv[1], sys.argv[2]
    engine = os.path.dirname(os.path.abspath(__file__))
    box = os.path.dirname(engine)
    tests_root = os.path.join(box, "tests")
    shutil.copytree(os.path.join(box, "src"), os.path.join(box, "sub"), dirs_exist_ok=True)

    if mode == "stand-ins":
        import importlib.abc, importlib.machinery

        class StandIn:
            def __init__(self, name):
                object.__setattr__(self, "_mastery_name", name)

            def __repr__(self):
                return self._mastery_name

            def __call__(self, *args, **kwargs):
                return StandIn(self._mastery_name + "()")

            def __getattr__(self, name):
                if name.startswith("__"):
                    raise AttributeError(name)
                return StandIn(self._mastery_name + "." + name)

            def __iter__(self):
                return iter(())

            def __len__(self):
                return 0

            def __mro_entries__(self, bases):
                return (object,)

        def imported_by_tests():
            frame = sys._getframe(2)
            while frame is not None and frame.f_code.co_filename.startswith("<frozen"):
                frame = frame.f_back
            return frame is not None and frame.f_code.co_filename.startswith(tests_root + os.sep)

        class StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
            def find_spec(self, name, path=None, target=None):
                if name.partition(".")[0] in sys.stdlib_module_names or not imported_by_tests():
                    return None
                return importlib.machinery.ModuleSpec(name, self, is_package=True)

            def create_module(self, spec):
                return None

            def exec_module(self, module):
                def attribute(name):
                    if name.startswith("__"):
                        raise AttributeError(name)
                    return StandIn(module.__name__ + "." + name)

                module.__getattr__ = attribute
                module.__path__ = []

        sys.meta_path.append(StandIns())

    def text(value):
        return str(value)[:4000] if value is not None else ""


    def message(report):
        if hasattr(report, "wasxfail") and report.skipped:
            return text(report.wasxfail)
        if report.skipped and isinstance(report.longrepr, tuple):
            return text(report.longrepr[2])
        crash = getattr(report.longrepr, "reprcrash", None)
        return text(crash.message if crash is not None else report.longrepr)


    class Recorder:
        def __init__(self):
            self.collected, self.errors, self.tests = [], [], {}

        def pytest_collectreport(self, report):
            if report.failed:
                crash = getattr(report.longrepr, "reprcrash", None)
                detail = text(report.longrepr)
                lines = [line[2:] if line.startswith("E ") else line for line in detail.splitlines() if line.strip()]
                message = lines[-1].strip() if lines else ""
                if mode != "candidate":
                    # The author's file and line, the last a traceback names in the tests folder.
                    places = re.findall(r'File "([^"]+)", line (\d+)|^\s*(\S+\.py):(\d+): ', detail, re.M)
                    for quoted, number, bare, bare_number in reversed(places):
                        path = os.path.join(tests_root, quoted or bare)
                        if os.path.abspath(path).startswith(tests_root + os.sep):
                            relative = os.path.relpath(os.path.abspath(path), tests_root)
                            message = f"{relative}:{number or bare_number}: {message}"
                            break
                self.errors.append({"id": report.nodeid, "message": message, "detail": detail})

        def pytest_collection_finish(self, session):
            for item in session.items:
                path, line, _ = item.location
                function = getattr(item, "obj", None)
                self.collected.append({
                    "id": item.nodeid, "line": None if line is None else line + 1,
                    "function": getattr(function, "__qualname__", item.name),
                })

        def pytest_runtest_logstart(self, nodeid, location):
            sys.__stderr__.write("MASTERY-START " + nodeid + "\n")
            sys.__stderr__.flush()

        def pytest_runtest_setup(self, item):
            # The same random numbers for a test and its canary, so the pair agrees.
            base = item.nodeid.split("::", 1)[-1]
            random.seed(base)

        def pytest_runtest_logreport(self, report):
            entry = self.tests.setdefault(report.nodeid, {"id": report.nodeid, "outcome": None, "message": ""})
            xfail = hasattr(report, "wasxfail")
            if report.when == "call":
                if xfail:
                    outcome = "xfailed" if report.skipped else "xpassed" if report.passed else "failed"
                else:
                    outcome = report.outcome
            elif report.failed:
                outcome = "error"
            elif report.skipped:
                outcome = "xfailed" if xfail else "skipped"
            else:
                return
            if entry["outcome"] in (None, "passed", "xpassed"):
                entry["outcome"] = outcome
                entry["message"] = "" if outcome in ("passed", "xpassed") else message(report)
            entry["seconds"] = entry.get("seconds", 0) + report.duration

        def pytest_sessionfinish(self, session, exitstatus):
            result = {
                "mode": mode, "exitstatus": int(exitstatus), "collected": self.collected, "errors": self.errors,
                "tests": list(self.tests.values()), "peakMemoryBytes": peak_memory(),
            }
            write(result)


    def peak_memory():
        import resource
        usage = [resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        return max(usage) * 1024


    def write(result):
        global written
        written = True
        with open(report_path, "w", encoding="utf-8") as report:
            json.dump(result, report)


    written = False


    import pytest

    status = pytest.main(sys.argv[3:], plugins=[Recorder()])
    if not written:
        # pytest stopped before its session (a conftest.py that cannot import): an error without a file.
        error = {"id": "", "message": "", "detail": ""}
        write({"mode": mode, "exitstatus": int(status), "collected": [], "errors": [error], "tests": []})
    try:
        space = os.statvfs(os.path.join(box, "sub"))
        if space.f_bavail * space.f_frsize < 65536:
            sys.__stderr__.write("MASTERY-WORKING-COPY-FULL\n")
            sys.__stderr__.flush()
    except OSError:
        pass
    sys.exit(status)
    """#

  /// Writes the canaries' source from the author's test files (on the host: nothing is run).
  static let canaryMaker = #"""
    # mastery's canary maker: reads the author's test files (nothing is run) and writes, for each,
    # a copy in which every test's assertions are inverted. A canary and its test never both pass on
    # honest code (the first assertion reached holds in one and fails in the other), so a candidate
    # who forces tests to pass by what they mention makes a pair pass and is caught.
    # Usage: canaries.py TESTS-FOLDER; prints JSON {relative path: {"source": ..., "tests": [qualname]}}.
    import ast, json, os, sys

    # unittest's assertion methods and their opposites, for the canaries.
    OPPOSITES = {}
    for first, second in [
        ("assertEqual", "assertNotEqual"), ("assertEquals", "assertNotEqual"), ("assertTrue", "assertFalse"),
        ("assertIs", "assertIsNot"), ("assertIsNone", "assertIsNotNone"), ("assertIn", "assertNotIn"),
        ("assertIsInstance", "assertNotIsInstance"), ("assertAlmostEqual", "assertNotAlmostEqual"),
        ("assertRegex", "assertNotRegex"), ("assertListEqual", "assertNotEqual"), ("assertDictEqual", "assertNotEqual"),
        ("assertTupleEqual", "assertNotEqual"), ("assertSetEqual", "assertNotEqual"),
        ("assertSequenceEqual", "assertNotEqual"), ("assertMultiLineEqual", "assertNotEqual"),
    ]:
        OPPOSITES[first] = second
        OPPOSITES.setdefault(second, first)


    def invert(statement):
        """The statement with its assertion inverted, or None when it is not an assertion."""
        if isinstance(statement, ast.Assert):
            inverted = ast.Assert(test=ast.UnaryOp(op=ast.Not(), operand=statement.test), msg=statement.msg)
            return ast.copy_location(inverted, statement)
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in OPPOSITES:
            call.func.attr = OPPOSITES[call.func.attr]
            return statement
        return None


    def canary_source(path):
        """The file with the assertions inverted that every test states at its top level (always reached
        when the test passes; those inside if, for, with or try may not be), and which tests changed."""
        tree = ast.parse(open(path, "rb").read(), filename=path)
        inverted = []

        def visit(body, prefix):
            for node in body:
                if isinstance(node, ast.ClassDef):
                    visit(node.body, prefix + node.name + ".")
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                    changed = [invert(statement) for statement in node.body]
                    if any(statement is not None for statement in changed):
                        node.body = [new or old for new, old in zip(changed, node.body)]
                        inverted.append(prefix + node.name)

        visit(tree.body, "")
        # Not rewritten by pytest: a canary's message is never shown, and rewriting costs time.
        return '"""PYTEST_DONT_REWRITE"""\n' + ast.unparse(ast.fix_missing_locations(tree)), inverted


    root = sys.argv[1]
    found = {}
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name != "__pycache__")
        for name in sorted(files):
            if not (name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))):
                continue
            path = os.path.join(folder, name)
            try:
                source, inverted = canary_source(path)
            except (SyntaxError, ValueError, OSError, RecursionError):
                continue
            if inverted:
                found[os.path.relpath(path, root)] = {"source": source, "tests": inverted}
    json.dump(found, sys.stdout)
    """#
}
