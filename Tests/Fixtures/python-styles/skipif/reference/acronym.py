import re


def abbreviate(phrase):
    words = re.findall(r"[A-Za-z][A-Za-z']*", phrase)
    return "".join(word[0].upper() for word in words)
