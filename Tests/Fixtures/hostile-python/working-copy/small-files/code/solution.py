# Writes 1 GiB in 1 MiB files into its working folder (the file-size limit is per file), then
# behaves: the working copy is a 64 MiB memory file system, so the host's disk never sees it and
# the run is stopped at the working-copy limit.
import os

chunk = b"x" * (1 << 20)
for index in range(1024):
    try:
        with open(f"filler_{index}.bin", "wb") as handle:
            handle.write(chunk)
    except OSError:
        break


def add(a, b):
    return a + b
