"""The server's own log lines masked: a filter on the service's and uvicorn's loggers, so that
no traceback or message written to the error log holds a whole resident ID."""

from __future__ import annotations

import logging
import traceback

from creditflow.core.privacy import mask_resident_ids

__all__ = ["LOGGERS", "MaskingFilter", "mask_server_logs"]

LOGGERS = ("creditflow.service", "uvicorn", "uvicorn.error", "uvicorn.access")
"""The loggers whose records are masked."""


class MaskingFilter(logging.Filter):
    """Masks resident IDs in a record's message and traceback (formatted here, once)."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
            record.exc_info = None
        elif record.exc_text:
            text += "\n" + record.exc_text
        record.exc_text = None
        if record.stack_info:
            record.stack_info = mask_resident_ids(record.stack_info)
        record.msg, record.args = mask_resident_ids(text.rstrip("\n")), None
        return True


def mask_server_logs() -> None:
    """Add one :class:`MaskingFilter` to each of :data:`LOGGERS` (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskingFilter) for f in logger.filters):
            logger.addFilter(MaskingFilter())
