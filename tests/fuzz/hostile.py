"""Hostile text: the strings and hypothesis strategies the fuzz tests feed every input path."""

from hypothesis import strategies as st

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
CONTROL = "".join(chr(c) for c in range(0, 32)) + "\x7f\x85"
INJECTIONS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "<b>bold</b><iframe src='https://evil.example'></iframe>",
    "[click](javascript:alert(1)) **bold** # heading\n---\n| a | b |",
    "{{7*7}} ${7*7} {name} %s %(x)s",
    "'; DROP TABLE tickets; --",
    "\u202egnp.exe",  # right-to-left override
]

# Text the way customers really send it, plus everything above mixed in.
hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(ZERO_WIDTH + BIDI + CONTROL),
    ),
    max_size=300,
) | st.sampled_from(INJECTIONS) | st.builds(
    lambda a, b: a + b, st.sampled_from(INJECTIONS), st.text(ZERO_WIDTH + BIDI, max_size=10)
)
