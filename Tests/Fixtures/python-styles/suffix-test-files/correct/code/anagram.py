from collections import Counter


def find_anagrams(target, words):
    target = target.lower()
    letters = Counter(target)
    found = []
    for w in words:
        lw = w.lower()
        if lw == target:
            continue
        if Counter(lw) == letters:
            found.append(w)
    return found
