# Other candidates' folders, the engine's files and host secrets must be out of reach, and the
# environment (ours, and that of the sandbox's own pid 1) must hold nothing but a short allow-list.
import glob, os

FOUND = []
for pattern in ["/work/*", "/tmp/mastery-*", "/etc/shadow", "/etc/passwd", "/root/*", "/home/*", "/opt/*"]:
    for path in glob.glob(pattern):
        try:
            with open(path, "rb") as handle:
                if handle.read(64):
                    FOUND.append(path)
        except OSError:
            pass

try:
    with open("/proc/1/environ", "rb") as handle:
        inherited = [entry for entry in handle.read().split(b"\0") if entry]
    FOUND += [entry.decode() for entry in inherited if not entry.startswith(b"PATH=")]
except OSError:
    pass

ALLOWED = {"PATH", "HOME", "LANG", "PYTHONDONTWRITEBYTECODE", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTHONHASHSEED",
           "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
           "PYTEST_CURRENT_TEST", "PWD"}
FOUND += [key for key in os.environ if key not in ALLOWED]


def add(a, b):
    return a + b + len(FOUND)
