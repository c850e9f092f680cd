"""Shared ISBN-10 examples for the test modules."""

VALID = [
    "3-598-21508-8",
    "3-598-21507-X",
    "3598215088",
]

INVALID = [
    "3-598-21508-9",  # wrong check digit
    "3-598-2X507-9",  # X only allowed as the check digit
    "3-598-21507-A",  # not a digit or X
    "3-598-21507",    # too short
]
