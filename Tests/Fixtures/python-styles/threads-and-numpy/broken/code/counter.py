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
    # Off by one: divides by one more than the number of values.
    array = numpy.asarray(values, dtype=numpy.float64)
    return float(array.sum() / (len(array) + 1))
