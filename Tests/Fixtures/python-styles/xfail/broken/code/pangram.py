def is_pangram(text):
    seen = {ch for ch in text if "a" <= ch <= "z"}
    return len(seen) == 26
