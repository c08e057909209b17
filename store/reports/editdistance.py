"""Normalised character edit distance: how much of a machine translation an agent changed."""


def levenshtein(a: str, b: str) -> int:
    """Insertions, deletions and substitutions turning `a` into `b` (two-row dynamic programme)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def post_edit_distance(machine: str, sent: str) -> float:
    """0.0 = sent as the machine wrote it, 1.0 = rewritten; distance over the longer text's length."""
    machine, sent = machine.strip(), sent.strip()
    longest = max(len(machine), len(sent))
    if longest == 0:
        return 0.0
    return levenshtein(machine, sent) / longest
