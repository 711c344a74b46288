"""The Clinical Leadership Mentor's view in the window (View → Mentor mode): write, sign and
publish a catalogue of opportunities, and read a folder of trainees' cohort summaries as figures
with charts, exported as the PDF and CSV the command line writes."""

from portfolio.ui.mentor.page import MentorPage

__all__ = ["MentorPage"]
