"""The one set of limits on what the app accepts, shared by every writer and reader.

The services that accept data (add, edit, attach, profile) and the readers of our files (the
archive, review packs, sign-off files, catalogues, cohort summaries) use these same numbers,
so anything the app accepted it can export and import again (a property test holds that).
"""

from __future__ import annotations

MAX_TITLE = 300
MAX_TEXT = 100_000
"""Characters of an item's main text."""
MAX_TEXT_FILE_BYTES = 4 * MAX_TEXT + 4
"""Bytes of a --text-file (UTF-8 takes at most four bytes a character; a BOM too)."""
MAX_TAG = 100
MAX_TAGS = 200
MAX_LINKS = 500
MAX_JUSTIFICATION = 5_000
MAX_ATTACHMENTS = 1_000
"""Attachments one item may hold (its current revision)."""
MAX_ATTACHMENT_BYTES = 25 * 2**20
MAX_FILENAME = 255
MAX_PROFILE_TEXT = 200
MAX_JSON_DEPTH = 64
"""How deeply any JSON we read may nest (a repeat field of lists is four levels)."""
MAX_INTEGER_DIGITS = 20
"""Digits of any integer we parse, from an argument or a file (Python refuses 4,300 anyway)."""
MAX_SEARCH_RESULTS = 10_000
MAX_SEARCH_WORDS = 32
"""Words of a search that count; later ones are ignored (the same on SQLite and PostgreSQL)."""
MAX_CARD_BYTES = 64 * 2**10
"""Bytes of an identity card file."""


def describe_bytes(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:g} MiB"
    return f"{size / 2**10:g} KiB" if size >= 2**10 else f"{size} bytes"
