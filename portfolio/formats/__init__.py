"""Our file formats: bytes in, validated models out, and back (docs/formats.md).

Every reader goes through ``portfolio.formats.reader``, the one place that bounds a file's size,
checks a zip's members, reads strict JSON and checks a format's name and version. Nothing here
opens a database session or imports a service: the use cases (import, merge, signing, trust)
live in ``portfolio.services`` and call these modules.
"""
