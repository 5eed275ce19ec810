"""no links in the outbox: stored sign-in and form links are replaced by what rebuilds them

Before this revision the outbox kept each message's complete sign-in or form link in its
context. Form links are rebuilt from the call and person (named in the message's key); a
sign-in link cannot be rebuilt (its nonce was random), so it is dropped, and a sign-in
message that had not gone out yet is cancelled (its link would have expired within minutes).

Revision ID: 0101
Revises: 0108
Create Date: 2026-12-05 11:30:00
"""

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0101'
down_revision: str | None = '0108'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SECRET = re.compile(r'/(sign-in|input)/')
_FORM_KEY = re.compile(r'call-(\d+):.*person-(\d+)$')

_notification = sa.table(
    'notification',
    sa.column('id', sa.Integer),
    sa.column('idempotency_key', sa.String),
    sa.column('context', sa.JSON),
    sa.column('status', sa.String),
)


def _scrubbed(key: str, status: str, context: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rest = {name: value for name, value in context.items() if name != 'url'}
    form = _FORM_KEY.search(key)
    if '/input/' in str(context['url']) and form:
        rest['link'] = {'kind': 'form', 'call_id': int(form[1]), 'person_id': int(form[2])}
        return status, rest
    return ('cancelled' if status == 'pending' else status), rest


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            _notification.c.id,
            _notification.c.idempotency_key,
            _notification.c.context,
            _notification.c.status,
        )
    ).all()
    for row_id, key, context, status in rows:
        if not isinstance(context, dict) or not _SECRET.search(str(context.get('url', ''))):
            continue
        new_status, new_context = _scrubbed(key, status, context)
        connection.execute(
            sa.update(_notification)
            .where(_notification.c.id == row_id)
            .values(context=new_context, status=new_status)
        )


def downgrade() -> None:
    # Nothing to restore: the links were secrets and must not come back.
    pass
