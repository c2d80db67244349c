"""The grassroots governance database (基层治理数据库) and the leaders' targets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, utcnow


class CommunityProfile(Base):
    """One community's figures, imported from the governance CSV (README, "Governance
    data"); the whole table is replaced by each import."""

    __tablename__ = "community_profiles"

    community_id: Mapped[int] = mapped_column(BigId, ForeignKey("regions.id"), primary_key=True)
    population: Mapped[int]
    households: Mapped[int]
    housing_units: Mapped[int]
    public_facilities: Mapped[int]
    public_services: Mapped[int]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class FigureTarget(Base):
    """A target for one of the leaders' rates (e.g. completion ≥ 0.99), set by the hall."""

    __tablename__ = "figure_targets"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[float] = mapped_column(Numeric(6, 4, asdecimal=False))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
