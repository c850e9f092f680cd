import pytest

from matrix import transpose


@pytest.mark.parametrize(
    "matrix, expected",
    [
        ([], []),
        ([[1]], [[1]]),
        ([[1, 2], [3, 4]], [[1, 3], [2, 4]]),
        ([[1, 2, 3]], [[1], [2], [3]]),
        ([[1], [2], [3]], [[1, 2, 3]]),
    ],
    ids=["empty", "one-by-one", "square", "row", "column"],
)
def test_known_transposes(matrix, expected):
    assert transpose(matrix) == expected


@pytest.mark.parametrize(
    "matrix",
    [
        [[1, 2], [3, 4]],
        pytest.param([[1, 2, 3], [4, 5, 6]], id="wide"),
        pytest.param([["a", "b"], ["c", "d"], ["e", "f"]], id="tall-strings"),
    ],
)
def test_transpose_twice_gives_original(matrix):
    assert transpose(transpose(matrix)) == matrix


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("cols", [2, 4])
def test_shape_is_swapped(rows, cols):
    matrix = [[r * cols + c for c in range(cols)] for r in range(rows)]
    result = transpose(matrix)
    assert len(result) == cols
    assert all(len(row) == rows for row in result)


def test_input_is_not_modified():
    matrix = [[1, 2], [3, 4]]
    transpose(matrix)
    assert matrix == [[1, 2], [3, 4]]
