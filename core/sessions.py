"""The programme's calendar: session N was held in the year 2001 + N (session 1 in 2002, session 23 in 2024).

Every place that shows or stores a session's year asks here, so the rule lives once.
"""

FIRST_YEAR = 2002  # session 1
CATEGORY_SINCE = 21  # the first session whose list gives each record's category


def year(session_no: int) -> int:
    """The year session `session_no` was held in."""
    return FIRST_YEAR - 1 + int(session_no)
