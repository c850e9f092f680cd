from statistics import mean


class Gradebook:
    """Keeps one score per student."""

    def __init__(self):
        self.entries = []

    def add(self, name, score):
        if score < 0 or score > 100:
            raise ValueError(f"score {score} is not between 0 and 100")
        self.entries = [(n, s) for n, s in self.entries if n != name]
        self.entries.append((name, score))

    def students(self):
        return [n for n, _ in self.entries]

    def average(self):
        return mean(s for _, s in self.entries)

    def top(self):
        best = max(self.entries, key=lambda entry: entry[1])
        return best[0]
