// Which papers and entities does Neo4j's full-text index find for some words, best match first?
// @neo4j-only
// @param text = "quantization"
// @param limit = 20
// A row is a hit: its kind (the node label), its name (a paper's title), its key (a paper's id, an entity's key) and the index's relevance score. The words go to the `kg_search` index over names, aliases, titles and abstracts in Lucene's syntax ("post-training quantization", quant*, "llama" AND 7b; a phrase in double quotes keeps + and - as written), so on a big graph it stays an index lookup where `search` reads every node.
CALL db.index.fulltext.queryNodes('kg_search', $text) YIELD node, score
RETURN labels(node)[0] AS kind, coalesce(node.name, node.title) AS name, coalesce(node.key, node.id) AS key, score
ORDER BY score DESC, key
LIMIT $limit
