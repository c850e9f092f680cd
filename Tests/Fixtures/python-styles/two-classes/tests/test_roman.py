import unittest

import roman


class ToRomanTest(unittest.TestCase):
    def test_single_symbols(self):
        self.assertEqual(roman.to_roman(1), "I")
        self.assertEqual(roman.to_roman(50), "L")
        self.assertEqual(roman.to_roman(1000), "M")

    def test_subtractive_forms(self):
        self.assertEqual(roman.to_roman(4), "IV")
        self.assertEqual(roman.to_roman(90), "XC")
        self.assertEqual(roman.to_roman(944), "CMXLIV")

    def test_large_number(self):
        self.assertEqual(roman.to_roman(3999), "MMMCMXCIX")


class FromRomanTest(unittest.TestCase):
    def test_additive_forms(self):
        self.assertEqual(roman.from_roman("III"), 3)
        self.assertEqual(roman.from_roman("MDCLXVI"), 1666)

    def test_subtractive_forms(self):
        self.assertEqual(roman.from_roman("IX"), 9)
        self.assertEqual(roman.from_roman("MCMXCIV"), 1994)


def test_round_trip_first_hundred():
    for n in range(1, 101):
        assert roman.from_roman(roman.to_roman(n)) == n
