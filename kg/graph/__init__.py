"""The graph in memory (networkx): built from extractions, analysed, handed to the stores."""

from kg.graph.build import GraphBuilder, build_graph, counts, edge_rows, node_rows

__all__ = ["GraphBuilder", "build_graph", "counts", "edge_rows", "node_rows"]
