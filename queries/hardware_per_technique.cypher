// Which hardware do papers run each technique on?
// @param technique = ""
// @param limit = 50
// A row is a technique a paper uses, hardware the same paper runs on, and how many papers do both. An empty technique means every technique; otherwise only the technique and those below it in the taxonomy, matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (p:Paper)-[:RUNS_ON]->(h:Hardware)
MATCH (p)-[:USES_TECHNIQUE]->(t:Technique)
OPTIONAL MATCH (t)-[:SUBCLASS_OF*0..10]->(root:Technique)
WHERE toLower(root.name) = wanted OR root.key = $technique
   OR any(alias IN root.aliases WHERE toLower(alias) = wanted)
WITH wanted, p, h, t, count(root) AS hits
WHERE wanted = '' OR hits > 0
WITH t, h, count(DISTINCT p) AS papers
RETURN t.name AS technique, h.name AS hardware, papers
ORDER BY papers DESC, technique, hardware
LIMIT $limit
