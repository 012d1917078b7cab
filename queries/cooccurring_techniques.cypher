// Which techniques are used together in the same papers?
// @param technique = ""
// @param limit = 30
// A row is a pair of techniques (ordered by key, so each pair appears once) and how many papers use both; pairs where one technique is below the other in the taxonomy are left out. An empty technique means every pair; otherwise one of the two must match it by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (a:Technique)<-[:USES_TECHNIQUE]-(p:Paper)-[:USES_TECHNIQUE]->(b:Technique)
WHERE a.key < b.key
  AND (wanted = ''
       OR toLower(a.name) = wanted OR a.key = $technique OR any(alias IN a.aliases WHERE toLower(alias) = wanted)
       OR toLower(b.name) = wanted OR b.key = $technique OR any(alias IN b.aliases WHERE toLower(alias) = wanted))
  AND NOT EXISTS { MATCH (a)-[:SUBCLASS_OF*1..10]->(b) }
  AND NOT EXISTS { MATCH (b)-[:SUBCLASS_OF*1..10]->(a) }
WITH a, b, count(DISTINCT p) AS papers
RETURN a.name AS technique_a, b.name AS technique_b, papers
ORDER BY papers DESC, technique_a, technique_b
LIMIT $limit
