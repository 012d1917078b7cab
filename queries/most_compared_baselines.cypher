// Which methods do papers most often compare against as baselines?
// @param technique = ""
// @param limit = 20
// A row is a baseline method and how many papers compare against it. An empty technique counts every paper; otherwise only papers that use the technique (or one below it in the taxonomy), matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (p:Paper)-[:COMPARED_WITH]->(m:Method)
OPTIONAL MATCH (p)-[:USES_TECHNIQUE]->(:Technique)-[:SUBCLASS_OF*0..10]->(root:Technique)
WHERE toLower(root.name) = wanted OR root.key = $technique
   OR any(alias IN root.aliases WHERE toLower(alias) = wanted)
WITH wanted, p, m, count(root) AS uses
WHERE wanted = '' OR uses > 0
WITH m, count(DISTINCT p) AS papers
RETURN m.name AS baseline, papers
ORDER BY papers DESC, baseline
LIMIT $limit
