"""The Reviews page, split by role.

* :mod:`.identity`: the supervisor's signing identity (unlock, lock, create, save the card).
* :mod:`.board`: the queue, the item in full and the decision, shared by the two signing roles.
* :mod:`.meeting`: meeting sign-off, in the trainee's app, each decision signed at once.
* :mod:`.pack`: signing a review pack in the supervisor's own copy into a sign-off file.
* :mod:`.trainee`: the trainee's file actions (export a pack, import sign-offs, pin a card,
  trust a directory).
* :mod:`.page`: the page that lays them out and hands the board to the active role.

Every service call and every file read or written runs through :class:`Operations`, off the
GUI thread; methods ending in ``_to`` / ``_from`` take a path so tests (and the menu actions)
skip the file dialogs.
"""

from portfolio.ui.reviews.page import ReviewsPage

__all__ = ["ReviewsPage"]
