class BankAccount:
    def __init__(self):
        self.is_open = False
        self.balance = 0

    def open(self, initial=0):
        if self.is_open or initial < 0:
            raise ValueError("cannot open account")
        self.is_open = True
        self.balance = initial

    def close(self):
        if not self.is_open:
            raise ValueError("account not open")
        self.is_open = False
        self.balance = 0

    def deposit(self, amount):
        if not self.is_open:
            raise ValueError("account not open")
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.balance += amount

    def withdraw(self, amount):
        if not self.is_open:
            raise ValueError("account not open")
        if amount <= 0 or amount > self.balance:
            raise ValueError("invalid withdrawal")
        self.balance -= amount
