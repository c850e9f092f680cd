from anagram import find_anagrams


def test_no_matches():
    assert find_anagrams("diaper", ["hello", "world", "zombies", "pants"]) == []


def test_detects_two_anagrams():
    assert find_anagrams("solemn", ["lemons", "cherry", "melons"]) == ["lemons", "melons"]


def test_anagrams_are_case_insensitive():
    assert find_anagrams("Orchestra", ["cashregister", "Carthorse", "radishes"]) == ["Carthorse"]


def test_word_is_not_its_own_anagram():
    assert find_anagrams("BANANA", ["Banana"]) == []
