"""The run's seed, so a failing run's generated data can be replayed.

One seed per run: ``--seed N``, or a random one chosen once in the controller
process and handed to every xdist worker (the way pytest-randomly does it). Each
test derives its own seed from the run seed and its node id, so the data a test
gets does not depend on which tests ran before it or on which worker.
"""

from __future__ import annotations

import random
import zlib

import pytest

SEED_DEST = "coa_seed"
# The controller hands its seed to xdist workers under this key (harness/plugin.py).
WORKERINPUT_KEY = "coa_e2e_seed"
_RUN_SEED_KEY = pytest.StashKey[int]()
# Seeds stay below 2**31 so they read well in a command line and fit anywhere.
_SEED_LIMIT = 2**31


def add_option(group: pytest.OptionGroup) -> None:
    group.addoption(
        "--seed",
        dest=SEED_DEST,
        type=int,
        default=None,
        metavar="N",
        help="seed of the generated test data; a random one is chosen and shown when absent",
    )


def configure(config: pytest.Config) -> None:
    """Fix the run seed now, before xdist hands out worker configuration."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and WORKERINPUT_KEY in workerinput:
        seed = int(workerinput[WORKERINPUT_KEY])
    else:
        chosen = config.getoption(SEED_DEST, default=None)
        seed = chosen if chosen is not None else random.SystemRandom().randrange(_SEED_LIMIT)
    config.stash[_RUN_SEED_KEY] = seed


def run_seed(config: pytest.Config) -> int:
    """The seed of this run (the same in every worker)."""
    return config.stash[_RUN_SEED_KEY]


def seed_for(nodeid: str, run_seed: int) -> int:
    """A test's own seed: stable for a node id and run seed, whatever the order."""
    return (zlib.crc32(nodeid.encode("utf-8")) ^ run_seed) % _SEED_LIMIT
