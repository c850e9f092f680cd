import threading

import numpy


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self.value = 0

    def increment(self):
        with self._lock:
            self.value += 1


def mean(values):
    return float(numpy.mean(numpy.asarray(values, dtype=numpy.float64)))
