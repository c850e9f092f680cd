# Forks, detaches into a new session and sleeps: the run must still end, and nothing may linger.
import os, time
if os.fork() == 0:
    os.setsid()
    time.sleep(3600)
    os._exit(0)


def add(a, b):
    return a + b
