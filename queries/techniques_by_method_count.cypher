// Which techniques have the most named methods?
// A row is a technique and how many distinct named methods are instances of it.
// @param limit = 20
MATCH (m:Method)-[:INSTANCE_OF]->(t:Technique)
WITH t, count(DISTINCT m) AS methods
RETURN t.name AS technique, methods
ORDER BY methods DESC, technique
LIMIT $limit
