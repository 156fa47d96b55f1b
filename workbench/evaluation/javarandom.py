"""``java.util.Random`` for the evaluation code: the generator itself lives in
``workbench.core.javarandom`` so that learners (below this layer) share the one copy."""

from workbench.core.javarandom import JavaRandom

__all__ = ["JavaRandom"]
