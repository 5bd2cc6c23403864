"""Offer letters: which decision letter of which application was queued.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04 01:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offer_letters',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('acceptance', 'waitlist', 'regret')", name=op.f('ck_offer_letters_known_kind')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_offer_letters_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_offer_letters_outbox_message_id_outbox_messages')),
    sa.PrimaryKeyConstraint('application_id', 'kind', name=op.f('pk_offer_letters'))
    )


def downgrade():
    op.drop_table('offer_letters')
