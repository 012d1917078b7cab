// How many papers use each technique in each year?
// @param technique = ""
// @param limit = 50
// A row is a year (null when papers carry no year), a technique, and how many papers of that year use it or a technique below it in the taxonomy. An empty technique means every technique; otherwise it is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (p:Paper)-[:USES_TECHNIQUE]->(:Technique)-[:SUBCLASS_OF*0..10]->(t:Technique)
WHERE wanted = '' OR toLower(t.name) = wanted OR t.key = $technique
   OR any(alias IN t.aliases WHERE toLower(alias) = wanted)
WITH t, p.year AS year, count(DISTINCT p) AS papers
RETURN year, t.name AS technique, papers
ORDER BY year, papers DESC, technique
LIMIT $limit
