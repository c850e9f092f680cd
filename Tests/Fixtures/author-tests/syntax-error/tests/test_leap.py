from leap import leap_year

def test_2000(:
    assert leap_year(2000)
