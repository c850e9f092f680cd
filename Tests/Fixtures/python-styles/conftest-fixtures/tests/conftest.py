import pytest

from bank import BankAccount


@pytest.fixture(params=[0, 25, 1000])
def opening_balance(request):
    return request.param


@pytest.fixture
def account(opening_balance):
    acct = BankAccount()
    acct.open(opening_balance)
    yield acct
    if acct.is_open:
        acct.close()
