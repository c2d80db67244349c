"""Regions and organisations: where appeals are received and who settles them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, BigId, str_enum, utcnow
from db.models.enums import OrganisationKind, RegionKind, SiteKind


class Region(Base):
    """行政区划: district → street → community (→ grid)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    name_pinyin: Mapped[str] = mapped_column(String(64))
    kind: Mapped[RegionKind] = mapped_column(str_enum(RegionKind, "region_kind"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    population: Mapped[int | None]
    households: Mapped[int | None]

    parent: Mapped[Region | None] = relationship(remote_side=[id], lazy="raise")


class Organisation(Base):
    """单位/平台: the hall, a street platform, a partner, a department."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(160), default="")
    kind: Mapped[OrganisationKind] = mapped_column(
        str_enum(OrganisationKind, "organisation_kind"), index=True
    )
    site_kind: Mapped[SiteKind | None] = mapped_column(str_enum(SiteKind, "site_kind"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship(lazy="raise")
