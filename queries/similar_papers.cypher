// Which papers share the most entities with a given paper?
// @param paper = "GPTQ"
// @param limit = 10
// A row is a paper matching the given text (id, or title substring, case-insensitive), another paper, and how many distinct methods, techniques, models, datasets, metrics, tasks or hardware both link to (through PROPOSES, INTRODUCES, USES_TECHNIQUE, APPLIED_TO, EVALUATED_ON, COMPARED_WITH, MENTIONS, ADDRESSES, RUNS_ON or MEASURES).
MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) CONTAINS toLower($paper)
MATCH (p)-[:PROPOSES|INTRODUCES|USES_TECHNIQUE|APPLIED_TO|EVALUATED_ON|COMPARED_WITH|MENTIONS|ADDRESSES|RUNS_ON|MEASURES]->(x)
      <-[:PROPOSES|INTRODUCES|USES_TECHNIQUE|APPLIED_TO|EVALUATED_ON|COMPARED_WITH|MENTIONS|ADDRESSES|RUNS_ON|MEASURES]-(q:Paper)
WHERE q.id <> p.id
WITH p, q, count(DISTINCT x) AS shared
RETURN p.title AS paper, p.id AS paper_id, q.title AS similar_paper, q.id AS similar_id, shared
ORDER BY paper, paper_id, shared DESC, similar_paper, similar_id
LIMIT $limit
