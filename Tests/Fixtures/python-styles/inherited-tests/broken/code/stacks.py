class ArrayStack:
    """A stack on top of a Python list."""

    def __init__(self):
        self.data = []

    def push(self, x):
        self.data.append(x)

    def pop(self):
        try:
            return self.data.pop()
        except IndexError:
            raise IndexError("stack is empty") from None

    def peek(self):
        return self.data[-1]

    def is_empty(self):
        return len(self.data) == 0

    def __len__(self):
        return len(self.data)


class LinkedStack:
    """A stack kept as nested (value, rest) pairs."""

    def __init__(self):
        self.head = None
        self.count = 0

    def push(self, x):
        self.head = (x, self.head)
        self.count += 1

    def pop(self):
        if self.head is None:
            raise IndexError("stack is empty")
        x, rest = self.head
        self.count -= 1
        return x

    def peek(self):
        if self.head is None:
            raise IndexError("stack is empty")
        return self.head[0]

    def is_empty(self):
        return self.count == 0

    def __len__(self):
        return self.count
