from collections import Counter


def find_anagrams(target, words):
    letters = Counter(target.lower())
    found = []
    for w in words:
        lw = w.lower()
        if lw == target:
            continue
        if Counter(lw) == letters:
            found.append(w)
    return found
