"""The deanery store (``gpc-portfolio deanery …``): a region's cohort summaries, catalogues and
supervisor directories in one PostgreSQL database, and the mentor's figures computed there.

``schema`` holds the tables (their own metadata and version, apart from the portfolio's),
``store`` verifies and loads files, ``figures`` computes the cohort figures in SQL.
"""
