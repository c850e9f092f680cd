import unittest

import pytest

from leap import leap_year


class LeapTest(unittest.TestCase):
    def test_2000(self):
        self.assertTrue(leap_year(2000))

    def test_1900(self):
        self.assertFalse(leap_year(1900))


class CenturyTest(unittest.TestCase):
    def test_1900(self):
        self.assertFalse(leap_year(1900))


@pytest.mark.parametrize("year", [4, 8, 12])
def test_many(year):
    assert leap_year(year)
