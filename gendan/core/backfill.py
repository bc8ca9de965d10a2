"""Filling the match keys (core/match_keys.py) of rows written before the keys existed, fast on
a million rows: the migrations that add the key columns call these.

Phone and e-mail keys are computed by SQL, one range of ids at a time, and only the few rows
the SQL cannot normalise (an extension, full-width digits, a non-ASCII address) by Python.
Company keys (NFKC, legal forms) need Python: each distinct name is normalised once and
written to every row that has it, through the name's index.
"""

from django.db import connection

from gendan.core.match_keys import KEY_LENGTH, company_key, email_key, phone_key

BATCH = 50_000
SEPARATORS = (" ", "-", "(", ")", ".", "+")


def _ranges(cursor, table: str):
    cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")
    low, high = cursor.fetchone()
    if low is None:
        return
    for start in range(low, high + 1, BATCH):
        yield start, start + BATCH - 1


def _not_matching(column: str, pattern: str) -> str:
    """SQL: `column` has a character outside the set `pattern` (a bracket expression)."""
    if connection.vendor == "postgresql":
        return f"{column} ~ '[^{pattern}]'"
    return f"{column} GLOB '*[^{pattern}]*'"


def _fix_in_python(cursor, table: str, source: str, key: str, where: str, normalise) -> None:
    cursor.execute(f"SELECT id, {source} FROM {table} WHERE {where}")
    rows = [(normalise(value), pk) for pk, value in cursor.fetchall()]
    if rows:
        cursor.executemany(f"UPDATE {table} SET {key} = %s WHERE id = %s", rows)


def phone_keys(table: str, source: str = "phone", key: str = "phone_key") -> None:
    """`key` = the digits of `source`, a mobile's +86 / 0086 / 86 dropped (as `phone_key`)."""
    digits = source
    for separator in SEPARATORS:
        digits = f"REPLACE({digits}, '{separator}', '')"
    with connection.cursor() as cursor:
        for start, end in _ranges(cursor, table):
            cursor.execute(
                f"UPDATE {table} SET {key} = {digits} "
                f"WHERE id BETWEEN %s AND %s AND {source} <> ''",
                [start, end],
            )
        for code in ("86", "0086"):
            cursor.execute(
                f"UPDATE {table} SET {key} = SUBSTR({key}, {len(code) + 1}) "
                f"WHERE LENGTH({key}) = {len(code) + 11} AND {key} LIKE '{code}1%'"
            )
        odd = _not_matching(key, "0-9")
        _fix_in_python(cursor, table, source, key, f"{key} <> '' AND {odd}", phone_key)
        cursor.execute(f"UPDATE {table} SET {key} = '' WHERE {key} <> '' AND LENGTH({key}) < 5")
        cursor.execute(
            f"UPDATE {table} SET {key} = SUBSTR({key}, 1, {KEY_LENGTH}) "
            f"WHERE LENGTH({key}) > {KEY_LENGTH}"
        )


def email_keys(table: str, source: str = "email", key: str = "email_key") -> None:
    """`key` = `source` trimmed and in lower case (as `email_key`)."""
    with connection.cursor() as cursor:
        for start, end in _ranges(cursor, table):
            cursor.execute(
                f"UPDATE {table} SET {key} = SUBSTR(LOWER(TRIM({source})), 1, {KEY_LENGTH}) "
                f"WHERE id BETWEEN %s AND %s AND {source} <> ''",
                [start, end],
            )
        odd = _not_matching(source, " -~")
        _fix_in_python(cursor, table, source, key, f"{source} <> '' AND {odd}", email_key)


def company_keys(table: str, source: str, key: str) -> None:
    """`key` = `company_key(source)`: each distinct name once, written to its rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {source} FROM {table} WHERE {source} <> ''")
        names = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(names), BATCH):
            pairs = [(company_key(name), name) for name in names[start : start + BATCH]]
            cursor.executemany(f"UPDATE {table} SET {key} = %s WHERE {source} = %s", pairs)
