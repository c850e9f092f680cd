import threading

import numpy

from counter import Counter, mean


def test_ten_threads_at_a_barrier_count_every_increment():
    counter = Counter()
    barrier = threading.Barrier(10)

    def work():
        barrier.wait(timeout=10)
        for _ in range(1000):
            counter.increment()

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.value == 10_000


def test_mean_of_a_numpy_array():
    assert mean(numpy.arange(1, 100_001, dtype=numpy.float64)) == 50_000.5


def test_mean_of_a_list():
    assert mean([1, 2, 3, 4]) == 2.5
