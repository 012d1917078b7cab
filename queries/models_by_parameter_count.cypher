// Which models are the largest by parameter count, and how many papers apply methods to each?
// @param min_billions = 0
// @param limit = 25
// A row is a model with a known parameter count (in billions) of at least min_billions, its family, the count, and how many papers are applied to it (APPLIED_TO); largest first.
MATCH (m:Model)
WHERE m.parameters_b IS NOT NULL AND m.parameters_b >= $min_billions
OPTIONAL MATCH (p:Paper)-[:APPLIED_TO]->(m)
WITH m, count(DISTINCT p) AS papers
RETURN m.name AS model, m.family AS family, m.parameters_b AS parameters_b, papers
ORDER BY parameters_b DESC, model
LIMIT $limit
