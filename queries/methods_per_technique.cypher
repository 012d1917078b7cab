// Which named methods are instances of a technique or of any technique below it in the taxonomy?
// @param technique = "quantization"
// A row is a method, the technique it is directly an instance of (the given technique or one below it via SUBCLASS_OF), and how many papers propose the method. The technique is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (root:Technique)
WHERE toLower(root.name) = wanted OR root.key = $technique
   OR any(alias IN root.aliases WHERE toLower(alias) = wanted)
MATCH (t:Technique)-[:SUBCLASS_OF*0..10]->(root)
MATCH (m:Method)-[:INSTANCE_OF]->(t)
WITH DISTINCT m, t
OPTIONAL MATCH (p:Paper)-[:PROPOSES]->(m)
WITH m, t, count(DISTINCT p) AS papers
RETURN m.name AS method, t.name AS technique, papers
ORDER BY technique, method
