"""Long County consumption-assistance market (陇县消费帮扶商城).

Importing the package is cheap (no Flask, no SQLAlchemy), so `market subsidy simulate` starts fast;
the application factory lives in market.app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(*args: Any, **kwargs: Any) -> Flask:
    """Build the Flask app (see market.app.create_app); `gunicorn 'market:create_app()'` calls this."""
    from market.app import create_app as factory

    return factory(*args, **kwargs)
