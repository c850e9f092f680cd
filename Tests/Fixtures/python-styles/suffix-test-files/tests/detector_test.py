from anagram import find_anagrams


class TestCandidates:
    def test_candidate_order_is_kept(self):
        assert find_anagrams("allergy", ["regally", "gallery", "largely", "leading"]) == [
            "regally",
            "gallery",
            "largely",
        ]

    def test_repeated_letters_must_match_in_number(self):
        assert find_anagrams("galea", ["eagle"]) == []

    def test_input_list_is_not_changed(self):
        candidates = ["enlists", "google", "inlets", "banana"]
        find_anagrams("listen", candidates)
        assert candidates == ["enlists", "google", "inlets", "banana"]
