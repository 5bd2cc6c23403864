"""Choice tokens in the snapshots of open attempts.

A choice's value on the learner's page used to be its place in the course file; it is now a
random token of the attempt, kept in the snapshot item as `choice_tokens`. Attempts still
open when this runs get their tokens here, so that they keep working; finished attempts are
never posted to again and keep their snapshots as they were.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:50:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# The choice kinds as they stood at this revision; later kinds are born with tokens.
CHOICE_KINDS = ('single', 'true_false', 'multiple')

attempts = sa.table('attempts', sa.column('id', sa.Integer), sa.column('state', sa.String),
                    sa.column('snapshot', sa.JSON))


def _tokens(count):
    tokens = []
    while len(tokens) < count:
        token = secrets.token_urlsafe(9)
        if token not in tokens:
            tokens.append(token)
    return tokens


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(attempts.c.id, attempts.c.snapshot)
                        .where(attempts.c.state == 'in_progress')).all()
    for attempt_id, snapshot in rows:
        changed = False
        for item in snapshot:
            if item.get('kind') in CHOICE_KINDS and 'choice_tokens' not in item:
                item['choice_tokens'] = _tokens(len(item['data'].get('choices', [])))
                changed = True
        if changed:
            conn.execute(attempts.update().where(attempts.c.id == attempt_id)
                         .values(snapshot=snapshot))


def downgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(attempts.c.id, attempts.c.snapshot)
                        .where(attempts.c.state == 'in_progress')).all()
    for attempt_id, snapshot in rows:
        for item in snapshot:
            item.pop('choice_tokens', None)
        conn.execute(attempts.update().where(attempts.c.id == attempt_id)
                     .values(snapshot=snapshot))
