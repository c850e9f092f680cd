# Every write outside the working copy must fail; one that works makes add() wrong.
WROTE = []
for path in ["/etc/mastery-pwned", "/usr/mastery-pwned", "/box/tests/test_add.py", "/box/tests/mastery-pwned",
             "/mastery-pwned", "/root/mastery-pwned"]:
    try:
        with open(path, "w") as handle:
            handle.write("pwned")
        WROTE.append(path)
    except OSError:
        pass


def add(a, b):
    return a + b + len(WROTE)
