class BankAccount:
    def __init__(self):
        self._balance = None

    @property
    def is_open(self):
        return self._balance is not None

    @property
    def balance(self):
        self._require_open()
        return self._balance

    def open(self, amount=0):
        if self.is_open:
            raise ValueError("account already open")
        if amount < 0:
            raise ValueError("opening balance cannot be negative")
        self._balance = amount

    def close(self):
        self._require_open()
        self._balance = None

    def deposit(self, amount):
        self._require_open()
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self._balance += amount

    def withdraw(self, amount):
        self._require_open()
        if amount <= 0:
            raise ValueError("withdrawal must be positive")
        if amount > self._balance:
            raise ValueError("insufficient funds")
        self._balance -= amount

    def _require_open(self):
        if not self.is_open:
            raise ValueError("account is closed")
