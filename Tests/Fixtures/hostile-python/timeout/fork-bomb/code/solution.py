# A fork bomb: the process limit stops the forking, the wall limit stops the rest.
import os
while True:
    try:
        os.fork()
    except OSError:
        pass


def add(a, b):
    return a + b
