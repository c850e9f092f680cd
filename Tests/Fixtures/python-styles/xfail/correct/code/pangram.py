def is_pangram(text):
    seen = {ch for ch in text.lower() if "a" <= ch <= "z"}
    return len(seen) == 26
