# Finds the real standard output behind pytest's capture and floods it with 20 MB:
# the output limit (64 KiB here) stops the run there, so flooding never earns.
import os

for name in os.listdir("/proc/self/fd"):
    try:
        if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
            for _ in range(20_000):
                os.write(int(name), b"x" * 1000 + b"\n")
    except OSError:
        pass


def add(a, b):
    return a + b
