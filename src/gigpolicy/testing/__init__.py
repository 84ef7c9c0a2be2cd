"""Hypothesis strategies that generate valid gigpolicy values, for property tests of your own code.

Install the optional extra first, ``pip install "gigpolicy[hypothesis]"``; this module is the
only part of gigpolicy that imports Hypothesis. Then draw records in your own tests:

.. code-block:: python

    from hypothesis import given

    from gigpolicy import replay
    from gigpolicy.testing import records


    @given(records(ended=True))
    def test_my_dashboard_shows_every_ended_contract(record):
        state = replay(record, at=record.events[-1].at)
        assert my_dashboard.render(state)

Every value these strategies generate is valid by construction, not by filtering: a record's
events are drawn one at a time from a small model of the ledger that offers only the events
the contract's state allows (no release beyond a milestone's escrow, no refund beyond what was
paid, one end, no end-of-contract feedback before the end, disputes resolved by splitting
exactly what is in dispute, ...). The records cover both contract kinds and every event type,
with time gaps from minutes to weeks, timestamps in UTC and in a few fixed offsets, and exact
money in currencies of 0, 2 and 3 decimal places.

A record is also consistent with the automatic steps of the replay rules it is drawn for
(Upwork's latest by default): when the rules release a milestone, return escrow or close a
dormant contract by themselves, the next event of the record is the log of that step, so
:func:`gigpolicy.replay` never finds an event that contradicts it.
"""

from __future__ import annotations

from gigpolicy.testing._laws import check_policy_laws, policy_law_cases
from gigpolicy.testing._model import records
from gigpolicy.testing._strategies import ZONES, contract_terms, instants, money

__all__ = [
    "ZONES",
    "check_policy_laws",
    "contract_terms",
    "instants",
    "money",
    "policy_law_cases",
    "records",
]
