"""kg: a knowledge graph of techniques for making large models cheaper."""

__version__ = "0.1.0"
