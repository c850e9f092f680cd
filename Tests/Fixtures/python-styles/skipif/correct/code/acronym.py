def abbreviate(words):
    cleaned = words.replace("-", " ").replace("_", " ")
    letters = [w[0] for w in cleaned.split() if w[0].isalpha()]
    return "".join(letters).upper()
