// Which techniques have been applied to each model family?
// @param family = ""
// @param limit = 50
// A row is a model family (the model's name when it has no family), a technique used by papers that apply it to a model of that family, and how many such papers there are. An empty family means every family; otherwise the family (or model name) must contain it, case-insensitively.
MATCH (p:Paper)-[:USES_TECHNIQUE]->(t:Technique)
MATCH (p)-[:APPLIED_TO]->(m:Model)
WITH p, t, CASE WHEN m.family IS NULL OR m.family = '' THEN m.name ELSE m.family END AS fam
WHERE $family = '' OR toLower(fam) CONTAINS toLower($family)
WITH fam, t.name AS technique, count(DISTINCT p) AS papers
RETURN fam AS family, technique, papers
ORDER BY papers DESC, family, technique
LIMIT $limit
