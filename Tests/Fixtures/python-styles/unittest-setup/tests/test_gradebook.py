import unittest

from gradebook import Gradebook


class GradebookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scores = {"ada": 91, "brian": 78, "chen": 85, "dora": 62}

    def setUp(self):
        self.book = Gradebook()
        for name, score in self.scores.items():
            self.book.add(name, score)

    def test_average(self):
        self.assertAlmostEqual(self.book.average(), 79.0)

    def test_average_of_uneven_scores(self):
        book = Gradebook()
        book.add("eve", 70)
        book.add("finn", 75)
        book.add("gus", 81)
        self.assertAlmostEqual(book.average(), 75.3333, places=3)

    def test_students_are_listed(self):
        self.assertIn("chen", self.book.students())
        self.assertNotIn("zed", self.book.students())

    def test_top_student(self):
        self.assertEqual(self.book.top(), "ada")

    def test_score_above_100_is_rejected(self):
        with self.assertRaises(ValueError) as caught:
            self.book.add("hal", 101)
        self.assertIn("between 0 and 100", str(caught.exception))

    def test_each_test_gets_a_fresh_book(self):
        self.book.add("ivy", 100)
        self.assertEqual(len(self.book.students()), 5)


if __name__ == "__main__":
    unittest.main()
