def transpose(m):
    if not m:
        return []
    result = []
    for c in range(len(m)):
        result.append([m[r][c] for r in range(len(m))])
    return result
