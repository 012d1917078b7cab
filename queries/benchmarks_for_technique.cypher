// Which benchmarks (datasets) are most used to evaluate papers that use a technique?
// @param technique = "model compression"
// @param limit = 20
// A row is a dataset and how many papers using the technique (or any technique below it in the taxonomy) evaluate on it. The technique is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (root:Technique)
WHERE toLower(root.name) = wanted OR root.key = $technique
   OR any(alias IN root.aliases WHERE toLower(alias) = wanted)
MATCH (t:Technique)-[:SUBCLASS_OF*0..10]->(root)
WITH DISTINCT t
MATCH (p:Paper)-[:USES_TECHNIQUE]->(t)
WITH DISTINCT p
MATCH (p)-[:EVALUATED_ON]->(d:Dataset)
WITH d, count(DISTINCT p) AS papers
RETURN d.name AS dataset, papers
ORDER BY papers DESC, dataset
LIMIT $limit
