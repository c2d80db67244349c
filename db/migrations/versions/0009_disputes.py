"""disputes: the 访调心裁 chain — parties, mediation, arbitration, litigation, metro tiers

Revision ID: 0009_disputes
Revises: 0008_appeal_data
Create Date: 2026-11-29

`petitions` gains `project_id` by a plain ADD COLUMN (no table rebuild: the immutable
timeline refers to it); on SQLite its foreign key is left to PostgreSQL, as in 0002.
The timeline's and the policies' CHECKs widen for the chain's events and stages.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009_disputes"
down_revision: str | None = "0008_appeal_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_EVENT_KINDS = (
    "SUBMITTED", "ACCEPTED", "CLASSIFIED", "ASSIGNED", "ASSIGNMENT_ACCEPTED",
    "ASSIGNMENT_RETURNED", "ASSIGNMENT_COMPLETED", "NOTE_ADDED", "SUSPENDED", "RESUMED",
    "EXTENSION_REQUESTED", "EXTENSION_APPROVED", "EXTENSION_REJECTED", "ANSWERED",
    "FEEDBACK_RECORDED", "CLOSED", "REOPENED", "BACKLOG_MARKED", "BACKLOG_CLEARED",
    "ESCALATED", "DEADLINE_APPROACHING", "OVERDUE", "REPEAT_LINKED", "DEADLINE_RECOMPUTED",
    "PETITIONER_UPDATED",
)  # fmt: skip  (as 0003_calendar, 0005_days and 0008_appeal_data leave them)
NEW_EVENT_KINDS = (
    *OLD_EVENT_KINDS, "PARTIES_NAMED", "MEDIATION_OPENED", "MEDIATION_SESSION",
    "TIER_ESCALATED", "MEDIATION_CONCLUDED", "PAYMENT_RECORDED", "INSTALMENT_MISSED",
    "CONFIRMATION_ASKED", "CONFIRMATION_DECIDED", "ARBITRATION_OPENED", "HEARING_SCHEDULED",
    "AWARD_MADE", "AWARD_PAID", "LITIGATION_OPENED", "JUDGMENT_GIVEN",
)  # fmt: skip
OLD_STAGES = ("HANDLING", "ACCEPTANCE", "EXTENSION")
NEW_STAGES = (*OLD_STAGES, "MEDIATION", "ARBITRATION", "METRO_SITE", "METRO_CENTRE",
              "METRO_REGULATOR")
IMMUTABLE_MESSAGE = "petition_events are immutable"

# (code, stage, working days, description); the statutes count calendar days, the hub
# working days: about two thirds as many.
POLICIES = [
    ("DISPUTE.MEDIATION", "MEDIATION", 10,
     "劳动争议调解：劳动争议调解仲裁法第十四条，十五日内未达成协议可申请仲裁（约10个工作日）"),
    ("DISPUTE.ARBITRATION", "ARBITRATION", 30,
     "劳动争议仲裁：劳动争议调解仲裁法第四十三条，四十五日内结束（约30个工作日）"),
    ("METRO.SITE", "METRO_SITE", 3, "地铁项目工地劳资纠纷：工地层级（项目部、分包单位）3个工作日"),
    ("METRO.CENTRE", "METRO_CENTRE", 5, "地铁项目工地劳资纠纷：地铁集团分级调解中心5个工作日"),
    ("METRO.REGULATOR", "METRO_REGULATOR", 10, "地铁项目工地劳资纠纷：区监管部门10个工作日"),
]  # fmt: skip
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _enum(values: Sequence[str], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    op.create_table('mediation_cases',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('petition_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.Enum('ADMINISTRATIVE', 'ARBITRATION', 'JUDICIAL', 'SOCIAL', name='mediation_kind', native_enum=False, create_constraint=True, length=22), nullable=False),
    sa.Column('status', sa.Enum('OPEN', 'AGREED', 'NO_AGREEMENT', 'WITHDRAWN', 'REFUSED', name='mediation_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('mediator_org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('mediator_name', sa.String(length=64), nullable=False),
    sa.Column('referring_org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('worker_count', sa.Integer(), nullable=False),
    sa.Column('amount_claimed_fen', sa.BigInteger(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_provisional', sa.Boolean(), nullable=False),
    sa.Column('tier', sa.Enum('SITE', 'CENTRE', 'REGULATOR', name='metro_tier', native_enum=False, create_constraint=True, length=17), nullable=True),
    sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_reason', sa.Text(), nullable=True),
    sa.Column('agreement_amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('agreement_terms', sa.Text(), nullable=True),
    sa.Column('confirmation_status', sa.Enum('REQUESTED', 'CONFIRMED', 'REFUSED', name='confirmation_status', native_enum=False, create_constraint=True, length=17), nullable=True),
    sa.Column('confirmation_court_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('confirmation_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmation_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmation_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmation_court_id'], ['organisations.id'], name=op.f('fk_mediation_cases_confirmation_court_id_organisations')),
    sa.ForeignKeyConstraint(['mediator_org_id'], ['organisations.id'], name=op.f('fk_mediation_cases_mediator_org_id_organisations')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_mediation_cases_petition_id_petitions')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_mediation_cases_project_id_projects')),
    sa.ForeignKeyConstraint(['referring_org_id'], ['organisations.id'], name=op.f('fk_mediation_cases_referring_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_mediation_cases_number'))
    )
    with op.batch_alter_table('mediation_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_cases_confirmation_court_id'), ['confirmation_court_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_mediator_org_id'), ['mediator_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_referring_org_id'), ['referring_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_status'), ['status'], unique=False)

    op.create_table('petition_parties',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('petition_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('enterprise_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.Enum('EMPLOYER', 'MAIN_CONTRACTOR', 'SUBCONTRACTOR', name='party_role', native_enum=False, create_constraint=True, length=23), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_petition_parties_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_parties_petition_id_petitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_parties')),
    sa.UniqueConstraint('petition_id', 'enterprise_id', 'role', name=op.f('uq_petition_parties_petition_id'))
    )
    with op.batch_alter_table('petition_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_parties_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_parties_petition_id'), ['petition_id'], unique=False)

    op.create_table('arbitration_cases',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('petition_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('mediation_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('arbitration_org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('referring_org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.Enum('FILED', 'HEARING_SCHEDULED', 'AWARDED', 'WITHDRAWN', name='arbitration_status', native_enum=False, create_constraint=True, length=25), nullable=False),
    sa.Column('claim_fen', sa.BigInteger(), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_provisional', sa.Boolean(), nullable=False),
    sa.Column('hearing_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hearing_place', sa.String(length=200), nullable=True),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('award_fen', sa.BigInteger(), nullable=True),
    sa.Column('award_summary', sa.Text(), nullable=True),
    sa.Column('award_paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['arbitration_org_id'], ['organisations.id'], name=op.f('fk_arbitration_cases_arbitration_org_id_organisations')),
    sa.ForeignKeyConstraint(['mediation_case_id'], ['mediation_cases.id'], name=op.f('fk_arbitration_cases_mediation_case_id_mediation_cases')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_arbitration_cases_petition_id_petitions')),
    sa.ForeignKeyConstraint(['referring_org_id'], ['organisations.id'], name=op.f('fk_arbitration_cases_referring_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arbitration_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_arbitration_cases_number'))
    )
    with op.batch_alter_table('arbitration_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arbitration_cases_arbitration_org_id'), ['arbitration_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_arbitration_cases_petition_id'), ['petition_id'], unique=False)

    op.create_table('instalments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('missed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_cases.id'], name=op.f('fk_instalments_case_id_mediation_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instalments')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_instalments_case_id'))
    )
    with op.batch_alter_table('instalments', schema=None) as batch_op:
        batch_op.create_index('ix_instalments_missed_at_due_on', ['missed_at', 'due_on'], unique=False)

    op.create_table('mediation_parties',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('enterprise_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.Enum('EMPLOYER', 'MAIN_CONTRACTOR', 'SUBCONTRACTOR', name='party_role', native_enum=False, create_constraint=True, length=23), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_cases.id'], name=op.f('fk_mediation_parties_case_id_mediation_cases')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_mediation_parties_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_parties')),
    sa.UniqueConstraint('case_id', 'enterprise_id', 'role', name=op.f('uq_mediation_parties_case_id'))
    )
    with op.batch_alter_table('mediation_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_parties_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_parties_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('mediation_sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place_kind', sa.Enum('SITE_MEDIATION_ROOM', 'STUDIO', 'ONLINE_JUDICIAL_ROOM', 'CENTRE', 'OTHER', name='session_place', native_enum=False, create_constraint=True, length=28), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('attendees', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_cases.id'], name=op.f('fk_mediation_sessions_case_id_mediation_cases')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_mediation_sessions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_sessions'))
    )
    with op.batch_alter_table('mediation_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_sessions_case_id'), ['case_id'], unique=False)

    op.create_table('mediation_tiers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tier', sa.Enum('SITE', 'CENTRE', 'REGULATOR', name='metro_tier', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('organisation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_provisional', sa.Boolean(), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_cases.id'], name=op.f('fk_mediation_tiers_case_id_mediation_cases')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_mediation_tiers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_tiers'))
    )
    with op.batch_alter_table('mediation_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_tiers_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_mediation_tiers_ended_at_due_at', ['ended_at', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_tiers_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('litigation_cases',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('petition_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('arbitration_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('mediation_case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('court_org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('referring_org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_number', sa.String(length=48), nullable=True),
    sa.Column('status', sa.Enum('FILED', 'JUDGED', 'WITHDRAWN', name='litigation_status', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('judged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('judgment_summary', sa.Text(), nullable=True),
    sa.Column('judgment_fen', sa.BigInteger(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['arbitration_case_id'], ['arbitration_cases.id'], name=op.f('fk_litigation_cases_arbitration_case_id_arbitration_cases')),
    sa.ForeignKeyConstraint(['court_org_id'], ['organisations.id'], name=op.f('fk_litigation_cases_court_org_id_organisations')),
    sa.ForeignKeyConstraint(['mediation_case_id'], ['mediation_cases.id'], name=op.f('fk_litigation_cases_mediation_case_id_mediation_cases')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_litigation_cases_petition_id_petitions')),
    sa.ForeignKeyConstraint(['referring_org_id'], ['organisations.id'], name=op.f('fk_litigation_cases_referring_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_litigation_cases')),
    sa.UniqueConstraint('case_number', name=op.f('uq_litigation_cases_case_number'))
    )
    with op.batch_alter_table('litigation_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_litigation_cases_court_org_id'), ['court_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_litigation_cases_petition_id'), ['petition_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('instalment_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('organisation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['mediation_cases.id'], name=op.f('fk_payments_case_id_mediation_cases')),
    sa.ForeignKeyConstraint(['instalment_id'], ['instalments.id'], name=op.f('fk_payments_instalment_id_instalments')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_payments_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_instalment_id'), ['instalment_id'], unique=False)

    op.add_column("petitions", sa.Column("project_id", BIG_ID, nullable=True))
    op.create_index("ix_petitions_project_id", "petitions", ["project_id"])
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(
            "fk_petitions_project_id_projects", "petitions", "projects", ["project_id"], ["id"]
        )
    _widen_stages(NEW_STAGES, OLD_STAGES)
    _widen_event_kinds(NEW_EVENT_KINDS, OLD_EVENT_KINDS)
    now = datetime.now(UTC)
    policies = sa.table(
        "time_limit_policies",
        sa.column("code"), sa.column("category"), sa.column("stage"), sa.column("days"),
        sa.column("unit"), sa.column("counts_from"), sa.column("description"),
        sa.column("active"), sa.column("updated_at"),
    )  # fmt: skip
    op.bulk_insert(
        policies,
        [
            {"code": code, "category": None, "stage": stage, "days": days,
             "unit": "WORKING_DAYS", "counts_from": "ASSIGNMENT", "description": description,
             "active": True, "updated_at": now}
            for code, stage, days, description in POLICIES
        ],
    )  # fmt: skip


# Policy stages name the policies' stages and the deadline alerts' clocks (0005_days).
STAGE_COLUMNS = (("time_limit_policies", "stage", "policy_stage"),
                 ("deadline_alerts", "clock", "alert_clock"))


def _widen_stages(new: Sequence[str], old: Sequence[str]) -> None:
    """Let the stage columns hold `new` (CHECK constraints; the names grow longer)."""
    old_length, new_length = max(map(len, old)) + 8, max(map(len, new)) + 8
    for table, column, name in STAGE_COLUMNS:
        if op.get_bind().dialect.name == "sqlite":
            with op.batch_alter_table(table, recreate="always") as batch_op:
                batch_op.alter_column(
                    column,
                    existing_type=_enum(old, name, old_length),
                    type_=_enum(new, name, new_length),
                    existing_nullable=False,
                )
            continue
        values = ", ".join(f"'{v}'" for v in new)
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{name}")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR({new_length})")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{name} "
                   f"CHECK ({column} IN ({values}))")


def _widen_event_kinds(new: Sequence[str], old: Sequence[str]) -> None:
    """Let `petition_events.kind` hold `new` (as in 0003_calendar)."""
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode copies the table; the copy loses the immutability triggers.
        op.execute("DROP TRIGGER IF EXISTS petition_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS petition_events_no_delete")
        with op.batch_alter_table("petition_events", recreate="always") as batch_op:
            batch_op.alter_column(
                "kind",
                existing_type=_enum(old, "event_kind", 28),
                type_=_enum(new, "event_kind", 28),
                existing_nullable=False,
            )
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER petition_events_no_{action.lower()} BEFORE {action} "
                f"ON petition_events BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
            )
    else:
        values = ", ".join(f"'{v}'" for v in new)
        op.execute("ALTER TABLE petition_events DROP CONSTRAINT ck_petition_events_event_kind")
        op.execute(
            "ALTER TABLE petition_events ADD CONSTRAINT ck_petition_events_event_kind "
            f"CHECK (kind IN ({values}))"
        )



def downgrade() -> None:
    op.execute("DELETE FROM time_limit_policies WHERE stage NOT IN ('HANDLING', "
               "'ACCEPTANCE', 'EXTENSION')")
    _widen_event_kinds(OLD_EVENT_KINDS, NEW_EVENT_KINDS)
    _widen_stages(OLD_STAGES, NEW_STAGES)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_petitions_project_id_projects", "petitions")
    op.drop_index("ix_petitions_project_id", "petitions")
    op.drop_column("petitions", "project_id")

    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_instalment_id'))
        batch_op.drop_index(batch_op.f('ix_payments_case_id'))

    op.drop_table('payments')
    with op.batch_alter_table('litigation_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_litigation_cases_petition_id'))
        batch_op.drop_index(batch_op.f('ix_litigation_cases_court_org_id'))

    op.drop_table('litigation_cases')
    with op.batch_alter_table('mediation_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_tiers_organisation_id'))
        batch_op.drop_index('ix_mediation_tiers_ended_at_due_at')
        batch_op.drop_index(batch_op.f('ix_mediation_tiers_case_id'))

    op.drop_table('mediation_tiers')
    with op.batch_alter_table('mediation_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_sessions_case_id'))

    op.drop_table('mediation_sessions')
    with op.batch_alter_table('mediation_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_parties_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_parties_case_id'))

    op.drop_table('mediation_parties')
    with op.batch_alter_table('instalments', schema=None) as batch_op:
        batch_op.drop_index('ix_instalments_missed_at_due_on')

    op.drop_table('instalments')
    with op.batch_alter_table('arbitration_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arbitration_cases_petition_id'))
        batch_op.drop_index(batch_op.f('ix_arbitration_cases_arbitration_org_id'))

    op.drop_table('arbitration_cases')
    with op.batch_alter_table('petition_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_parties_petition_id'))
        batch_op.drop_index(batch_op.f('ix_petition_parties_enterprise_id'))

    op.drop_table('petition_parties')
    with op.batch_alter_table('mediation_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_cases_status'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_referring_org_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_petition_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_mediator_org_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_confirmation_court_id'))

    op.drop_table('mediation_cases')
