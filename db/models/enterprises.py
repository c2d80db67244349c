"""Employers and construction projects (credit supervision builds on these)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, utcnow


class Enterprise(Base):
    """用人单位, keyed by its unified social credit code (GB 32100)."""

    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    industry: Mapped[str] = mapped_column(String(64), default="")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Project(Base):
    """工程项目: a construction project with its site's station and mediation room."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    mediation_room_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class ProjectEnterprise(Base):
    """An enterprise's part in a project: main contractor or subcontractor."""

    __tablename__ = "project_enterprises"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(24))
