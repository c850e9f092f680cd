class Gradebook:
    def __init__(self):
        self._scores = {}

    def add(self, student, score):
        if not 0 <= score <= 100:
            raise ValueError("score must be between 0 and 100")
        self._scores[student] = score

    def students(self):
        return sorted(self._scores)

    def average(self):
        if not self._scores:
            raise ValueError("no scores recorded")
        return sum(self._scores.values()) / len(self._scores)

    def top(self):
        return max(self._scores, key=self._scores.get)
