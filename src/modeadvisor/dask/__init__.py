"""Batches on a Dask cluster: a Dask DataFrame of units scored partition by partition, and many
organisations assessed one row each. Needs the `dask` extra (`dask[dataframe]`, `distributed`).

    from modeadvisor import Advisor
    from modeadvisor.dask import assess_organisations, score_units

    advisor = Advisor.default(backend="vectorised")
    advice = score_units(advisor, units)            # a Dask DataFrame in, one out, lazily
    advice.compute()                                # each unit as `advisor.assess_many` gives it

The advisor (its compiled pack) is one task of the graph: each worker receives it once, however
many partitions it scores. A partition is scored as `assess_many` scores a table; a partition
with a bad cell is scored again row by row, so that a bad row gets its message in the `error`
column and the others their advice, instead of failing the job. Every row carries `pack_hash`
(the content hash of each layer, `KnowledgeBase.hashes`) and its explanation handle
(`partition`, `row`): `advice_for(advisor, units, partition, row)` gives the unit's full Advice.
"""

from __future__ import annotations

from modeadvisor.dask._frames import advice_for, assess_organisations, pack_hash, score_units

__all__ = ["advice_for", "assess_organisations", "pack_hash", "score_units"]
