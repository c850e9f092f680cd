import pytest

from bank import BankAccount


def test_opening_balance_is_kept(account, opening_balance):
    assert account.balance == opening_balance


def test_deposit_adds_to_balance(account, opening_balance):
    account.deposit(50)
    assert account.balance == opening_balance + 50


def test_can_withdraw_whole_balance(account):
    account.deposit(10)
    account.withdraw(account.balance)
    assert account.balance == 0


def test_cannot_overdraw(account):
    with pytest.raises(ValueError):
        account.withdraw(account.balance + 1)


def test_closed_account_refuses_deposits():
    acct = BankAccount()
    acct.open(5)
    acct.close()
    with pytest.raises(ValueError):
        acct.deposit(1)
