"""Both stack implementations must honour the same contract.

The contract lives in a mixin that is not a TestCase itself, so it is only
run through the concrete test classes below.
"""
import unittest

from stacks import ArrayStack, LinkedStack


class StackContract:
    make = None  # set by each concrete test class

    def test_new_stack_is_empty(self):
        stack = self.make()
        self.assertEqual(len(stack), 0)
        self.assertTrue(stack.is_empty())

    def test_pop_returns_items_in_reverse_order(self):
        stack = self.make()
        for item in "abc":
            stack.push(item)
        self.assertEqual([stack.pop(), stack.pop(), stack.pop()], ["c", "b", "a"])

    def test_peek_does_not_remove(self):
        stack = self.make()
        stack.push(1)
        stack.push(2)
        self.assertEqual(stack.peek(), 2)
        self.assertEqual(len(stack), 2)

    def test_pop_from_empty_stack_raises(self):
        stack = self.make()
        with self.assertRaises(IndexError):
            stack.pop()


class ArrayStackTest(StackContract, unittest.TestCase):
    make = ArrayStack


class LinkedStackTest(StackContract, unittest.TestCase):
    make = LinkedStack
