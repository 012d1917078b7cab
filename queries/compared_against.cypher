// Which papers compare against a method, what do they propose, and what do they report against it?
// @param method = "PowerInfer"
// @param limit = 50
// A row is one paper that compares against the method (matched by name, key or alias, case-insensitively) and one result of that paper whose baseline names the method (value, unit, measure, direction), or empty result columns if no number is set against it; with the methods the paper proposes and the sentence that names the method as its baseline.
WITH toLower($method) AS wanted
MATCH (p:Paper)-[c:COMPARED_WITH]->(b:Method)
WHERE toLower(b.name) = wanted OR b.key = $method OR any(alias IN b.aliases WHERE toLower(alias) = wanted)
OPTIONAL MATCH (p)-[:PROPOSES]->(m:Method)
WITH p, b, c, collect(DISTINCT m.name) AS proposed
OPTIONAL MATCH (p)-[:REPORTS]->(r:Result)
WHERE r.baseline IS NOT NULL AND toLower(r.baseline) CONTAINS toLower(b.name)
RETURN b.name AS baseline, p.title AS paper, proposed, r.metric AS metric, r.value AS value, r.unit AS unit,
       r.direction AS direction, c.sentence AS sentence
ORDER BY paper, metric, value DESC
LIMIT $limit
