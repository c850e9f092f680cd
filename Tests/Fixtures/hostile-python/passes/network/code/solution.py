# Any connection that succeeds makes add() wrong, so passing proves there is no network.
import socket

REACHED = False
for host, port in [("1.1.1.1", 80), ("8.8.8.8", 53), ("127.0.0.1", 22)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        REACHED = True
    except OSError:
        pass


def add(a, b):
    return a + b + (1 if REACHED else 0)
