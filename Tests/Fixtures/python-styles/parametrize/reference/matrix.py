def transpose(matrix):
    """Rows become columns: transpose([[1, 2], [3, 4]]) == [[1, 3], [2, 4]]."""
    return [list(column) for column in zip(*matrix)]
