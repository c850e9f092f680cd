import re


def is_valid(isbn: str) -> bool:
    digits = isbn.replace("-", "")
    if not re.fullmatch(r"[0-9X]{10}", digits):
        return False
    values = [10 if d == "X" else int(d) for d in digits]
    return sum(v * w for v, w in zip(values, range(10, 0, -1))) % 11 == 0
