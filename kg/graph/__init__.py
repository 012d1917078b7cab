"""The graph in memory (networkx): built from extractions, analysed, handed to the stores."""

from kg.graph.build import EntityRegistry, GraphBuilder, build_graph, counts, edge_rows, node_rows

__all__ = ["EntityRegistry", "GraphBuilder", "build_graph", "counts", "edge_rows", "node_rows"]
