"""An identity card file (JSON, format ``gpc-portfolio-identity`` 1): a supervisor's public
identity, read within its size limit and written atomically. Its fields are checked by ``PublicIdentity.from_card``."""

from __future__ import annotations

import json
from pathlib import Path

from portfolio import limits
from portfolio.errors import InvalidInput
from portfolio.formats.reader import read_text
from portfolio.security.signing import PublicIdentity
from portfolio.storage.files import write_atomically


def read_card_file(path: Path) -> PublicIdentity:
    """The identity card in the file at ``path``; InvalidInput names the file and the problem."""
    text = read_text(path, "identity card", limits.MAX_CARD_BYTES)
    try:
        return PublicIdentity.from_card_json(text)
    except InvalidInput as error:
        raise InvalidInput(f"{path.name}: {error}") from None


def write_card_file(identity: PublicIdentity, path: Path) -> Path:
    """The public card only (never the key), written atomically to ``path``."""
    card = json.dumps(identity.to_card(), indent=2, ensure_ascii=False) + "\n"
    return write_atomically(path, card.encode())
