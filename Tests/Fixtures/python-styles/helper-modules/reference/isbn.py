def is_valid(isbn):
    chars = isbn.replace("-", "")
    if len(chars) != 10:
        return False
    total = 0
    for position, char in enumerate(chars):
        if char.isdigit():
            value = int(char)
        elif char == "X" and position == 9:
            value = 10
        else:
            return False
        total += value * (10 - position)
    return total % 11 == 0
