"""The library of named Cypher queries, installed as the package `kg.queries`."""
