def add(a, b):
    block = bytearray(10 * 1024 ** 3)
    return a + b + len(block) * 0
