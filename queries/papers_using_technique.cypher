// Which papers use a technique or any technique below it in the taxonomy, and where do they say so?
// @param technique = "pruning"
// @param limit = 50
// A row is a paper, the technique it uses (the given one or one below it via SUBCLASS_OF), and the evidence sentence for USES_TECHNIQUE. The technique is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (root:Technique)
WHERE toLower(root.name) = wanted OR root.key = $technique
   OR any(alias IN root.aliases WHERE toLower(alias) = wanted)
MATCH (t:Technique)-[:SUBCLASS_OF*0..10]->(root)
WITH DISTINCT t
MATCH (p:Paper)-[r:USES_TECHNIQUE]->(t)
RETURN DISTINCT p.title AS paper, p.id AS paper_id, t.name AS technique, r.sentence AS sentence
ORDER BY paper, paper_id, technique, sentence
LIMIT $limit
