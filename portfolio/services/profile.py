"""The trainee's profile and placements."""

from __future__ import annotations

from dataclasses import asdict, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio import limits
from portfolio.curriculum import GPC_ID
from portfolio.errors import InvalidInput, NotFound, Remedy
from portfolio.models import Placement, Profile
from portfolio.services import validation
from portfolio.services.curricula import curricula_in
from portfolio.services.dto import PlacementData, ProfileData

LOCK_MINUTES = range(1, 31)
"""How long a meeting may sit idle before the signing key locks: never off, at most half an hour."""


class ProfileService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self) -> ProfileData | None:
        with self._sessions() as session:
            row = session.get(Profile, 1)
            if row is None:
                return None
            return ProfileData(**{k: getattr(row, k) for k in ProfileData.__dataclass_fields__})

    def save(self, profile: ProfileData) -> ProfileData:
        with self._sessions.begin() as session:
            profile = self._validated(profile, [c.id for c in curricula_in(session)])
            row = session.get(Profile, 1) or Profile(id=1)
            for key, value in asdict(profile).items():
                setattr(row, key, value)
            session.add(row)
        return profile

    @staticmethod
    def _validated(profile: ProfileData, known: list[str]) -> ProfileData:
        texts = {
            key: validation.optional_text(value, key.replace("_", " "), limits.MAX_PROFILE_TEXT)
            for key, value in asdict(profile).items()
            if isinstance(value, str)
        }
        texts["name"] = validation.required_text(profile.name, "name", limits.MAX_PROFILE_TEXT)
        texts["gmc_number"] = validation.gmc_number(profile.gmc_number)
        minutes = profile.meeting_lock_minutes
        if type(minutes) is not int or minutes not in LOCK_MINUTES:
            raise InvalidInput(
                f"The meeting lock must be between {LOCK_MINUTES[0]} and {LOCK_MINUTES[-1]} "
                "minutes without input; it cannot be turned off."
            )
        own = [curriculum_id for curriculum_id in known if curriculum_id != GPC_ID]
        if profile.curriculum_id and profile.curriculum_id not in own:
            raise InvalidInput(
                f"There is no built-in curriculum '{profile.curriculum_id}', nor an imported one; "
                f"choose one of {', '.join(own)}, or none."
            )
        if profile.training_start is not None:
            validation.date_range(profile.training_start, profile.training_end, "training period")
        return replace(profile, **texts)  # type: ignore[arg-type]  # only its str fields


class PlacementService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def list(self) -> list[PlacementData]:
        with self._sessions() as session:
            rows = session.scalars(select(Placement).order_by(Placement.starts_on.desc()))
            return [self._data(row) for row in rows]

    def save(self, placement: PlacementData) -> PlacementData:
        """Add a placement (no id) or change one (with its id)."""
        trust = validation.required_text(placement.trust, "Trust", limits.MAX_PROFILE_TEXT)
        validation.date_range(placement.starts_on, placement.ends_on, "placement")
        with self._sessions.begin() as session:
            if placement.id is None:
                row = Placement()
                session.add(row)
            else:
                found = session.get(Placement, placement.id)
                if found is None:
                    raise NotFound(f"There is no placement {placement.id}.")
                row = found
            row.trust = trust
            row.department = validation.optional_text(placement.department, "department", 200)
            row.starts_on = placement.starts_on
            row.ends_on = placement.ends_on
            row.clinical_supervisor = validation.optional_text(
                placement.clinical_supervisor, "clinical supervisor", 200
            )
            session.flush()
            return self._data(row)

    def remove(self, placement_id: int) -> None:
        """Items of a removed placement keep their content and lose only the placement."""
        with self._sessions.begin() as session:
            row = session.get(Placement, placement_id)
            if row is None:
                raise NotFound(f"There is no placement {placement_id}.")
            session.delete(row)

    @staticmethod
    def _data(row: Placement) -> PlacementData:
        return PlacementData(
            row.trust, row.starts_on, row.department, row.ends_on, row.clinical_supervisor, row.id
        )


def require_profile(profile: ProfileData | None) -> ProfileData:
    if profile is None:
        raise InvalidInput("This portfolio has no profile yet.", remedy=Remedy.CREATE_PROFILE)
    return profile
