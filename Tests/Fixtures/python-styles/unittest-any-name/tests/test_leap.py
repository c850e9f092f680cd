import unittest

from leap import leap_year


class LeapTest(unittest.TestCase):
    def test_year_not_divisible_by_4_is_common(self):
        self.assertIs(leap_year(2015), False)

    def test_year_divisible_by_4_not_by_100_is_leap(self):
        self.assertIs(leap_year(1996), True)

    def test_year_divisible_by_100_not_by_400_is_common(self):
        self.assertFalse(leap_year(1900))

    def test_year_divisible_by_400_is_leap(self):
        self.assertTrue(leap_year(2000))

    def test_year_divisible_by_200_not_by_400_is_common(self):
        self.assertEqual(leap_year(1800), False)

    def test_several_recent_leap_years(self):
        self.assertEqual([y for y in range(2000, 2013) if leap_year(y)], [2000, 2004, 2008, 2012])


if __name__ == "__main__":
    unittest.main()
