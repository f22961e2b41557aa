"""A central difference written independently of purenet.gradcheck, shared by the tests."""


def central_difference(function, values, h=1e-6):
    """d function / d values[k], by (f(v + h) - f(v - h)) / 2h, written independently of purenet.gradcheck."""
    rows = values if isinstance(values[0], list) else [values]
    gradient = []
    for row in rows:
        gradient_row = []
        for k in range(len(row)):
            original = row[k]
            row[k] = original + h
            above = function()
            row[k] = original - h
            below = function()
            row[k] = original
            gradient_row.append((above - below) / (2.0 * h))
        gradient.append(gradient_row)
    return gradient if isinstance(values[0], list) else gradient[0]
