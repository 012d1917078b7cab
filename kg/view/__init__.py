"""Views of the graph: the pyvis page (`kg viz`)."""
