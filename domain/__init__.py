"""Types that cross the Temporal boundary.

Only the standard library and pydantic are imported here: this package is loaded inside the
workflow sandbox, so it must stay light and must never read the clock, uuid or random.
"""
