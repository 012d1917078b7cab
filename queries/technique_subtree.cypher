// Which techniques lie below a technique in the taxonomy, and how much does the graph say about each?
// @param technique = "model compression"
// A row is the given technique or one below it (via SUBCLASS_OF), its distance below the given one (shortest, 0 for itself), and how many papers use it and how many named methods are instances of it directly. The technique is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (top:Technique)
WHERE toLower(top.name) = wanted OR top.key = $technique
   OR any(alias IN top.aliases WHERE toLower(alias) = wanted)
MATCH path = (t:Technique)-[:SUBCLASS_OF*0..10]->(top)
WITH top, t, min(length(path)) AS distance
OPTIONAL MATCH (p:Paper)-[:USES_TECHNIQUE]->(t)
WITH top, t, distance, count(DISTINCT p) AS papers
OPTIONAL MATCH (m:Method)-[:INSTANCE_OF]->(t)
WITH top, t, distance, papers, count(DISTINCT m) AS methods
RETURN top.name AS root, t.name AS technique, distance, papers, methods
ORDER BY root, distance, technique
