"""Centre roles for the staff a database already has: every account-wide instructor or
assessor holds that role at the hub, where they worked before there were centres; and each
centre's theme gets a version for its cached stylesheet and logo.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 14:05:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_version', sa.String(length=12), nullable=False,
                                      server_default=''))

    connection = op.get_bind()
    staff = connection.execute(sa.text(
        "SELECT user_id, role FROM user_roles WHERE role IN ('instructor', 'assessor') "
        "ORDER BY user_id, role")).all()
    if not staff:
        return
    now = datetime.now(UTC)
    if not connection.execute(sa.text("SELECT COUNT(*) FROM centres WHERE is_hub")).scalar():
        centres = sa.table('centres', *(sa.column(name) for name in (
            'code', 'name', 'country', 'region', 'timezone', 'languages', 'contact_email',
            'contact_phone', 'address', 'website', 'logo_type', 'primary_colour',
            'accent_colour', 'is_hub', 'active', 'created_at')))
        connection.execute(centres.insert().values(
            code='HUB', name='Global Training Hub for Biomanufacturing', country='KR',
            region='Western Pacific', timezone='Asia/Seoul',
            languages=sa.text("'[\"en\", \"ko\"]'"),
            contact_email='', contact_phone='', address='', website='', logo_type='',
            primary_colour='#1d4f73', accent_colour='#2f7d4f', is_hub=True, active=True,
            created_at=now))
    hub = connection.execute(sa.text("SELECT id FROM centres WHERE is_hub")).scalar_one()
    roles = sa.table('centre_roles', sa.column('centre_id'), sa.column('user_id'),
                     sa.column('role'), sa.column('assigned_at'), sa.column('assigned_by_id'))
    connection.execute(roles.insert(), [
        {'centre_id': hub, 'user_id': user_id, 'role': role, 'assigned_at': now,
         'assigned_by_id': None} for user_id, role in staff])


def downgrade():
    op.execute("DELETE FROM centre_roles WHERE assigned_by_id IS NULL AND role IN "
               "('instructor', 'assessor')")
    with op.batch_alter_table('centres', schema=None) as batch_op:
        batch_op.drop_column('theme_version')
