"""Demo data of the learning pillar (see `loader.py`)."""

from alliances.learning.demo.loader import DEMO_LEARNERS, DemoLearner, load_demo_learning

__all__ = ["DEMO_LEARNERS", "DemoLearner", "load_demo_learning"]
