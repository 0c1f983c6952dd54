"""Sampling (抽查): a random draw of offline sale lines, from a batch or a filter, for staff to check first.

The seed is drawn with `secrets` and recorded with the sample (with who drew it, the filter and the
population), so the draw can be repeated: `sale_sample.draw(population, size, seed)` gives the same lines.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm as so

from market.domain import sale_sample
from market.extensions import db
from market.models import OfflineSaleSample, User
from market.models.offline_sale import offline_sale_sample_lines
from market.services.errors import ServiceError
from market.services.sales.queue import QueueFilter, matching_ids

RECENT = 20


def draw_sample(user: User, f: QueueFilter, now: datetime, *, count: int | None = None,
                percent: int | None = None, seed: str | None = None) -> OfflineSaleSample:
    """Draw `count` lines, or `percent`% rounded up (at least one), from the lines matching the filter.

    The seed is fresh from `secrets` unless given (the demo gives one, to load the same sample every time)."""
    if f.sample_id is not None:
        raise ServiceError(_("Draw from a batch or a filter, not from another sample."))
    population = matching_ids(f)
    if not population:
        raise ServiceError(_("No lines match this filter: there is nothing to draw from."))
    try:
        size = sale_sample.sample_size(len(population), count=count, percent=percent)
    except ValueError:
        raise ServiceError(_("Give a number of lines (at least 1) or a percentage from 1 to 100."), "size") from None
    seed = seed or secrets.token_hex(16)
    chosen = sale_sample.draw(population, size, seed)
    sample = OfflineSaleSample(drawn_by_id=user.id, drawn_at=now, seed=seed, size=size,
                               population=len(population), batch_id=f.batch_id, criteria=f.criteria())
    db.session.add(sample)
    db.session.flush()
    db.session.execute(offline_sale_sample_lines.insert(), [{"sample_id": sample.id, "sale_id": i} for i in chosen])
    return sample


def recent_samples(limit: int = RECENT) -> list[OfflineSaleSample]:
    """The latest samples, newest first, with who drew them."""
    return list(db.session.scalars(
        sa.select(OfflineSaleSample).order_by(OfflineSaleSample.id.desc()).limit(limit)
        .options(so.joinedload(OfflineSaleSample.drawn_by))
    ))
