"""The outage tracker: one line when the database stops answering, one when it is back."""

import logging

import pytest

from mycandidate.db import Outage

pytestmark = pytest.mark.unit


def test_one_line_per_outage_and_one_on_recovery(caplog):
    now = [100.0]
    outage = Outage(clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="mycandidate.db"):
        outage.recovered()  # nothing was down: nothing to say
        for _ in range(50):
            outage.failed(ConnectionRefusedError("connection refused\nsecond line"))
        assert outage.down
        now[0] += 12
        outage.recovered()
        outage.recovered()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "unreachable" in lines[0] and "connection refused" in lines[0]
    assert "second line" not in lines[0]
    assert lines[1] == "database reachable again after 12s"
    assert not outage.down
