// Which techniques have been applied to each model family?
// @param family = ""
// @param limit = 50
// A row is a model family (the model's name when it has no family), a technique used by papers that apply it to a model of that family, and how many such papers there are. An empty family means every family; otherwise the family (or model name) must contain it, case-insensitively, or the model's name must start with it, hyphens and spaces aside ("Llama 2" finds LLaMA2-7B, whose family is Llama; the row then names the family asked for).
WITH toLower($family) AS wanted, replace(replace(toLower($family), '-', ''), ' ', '') AS squeezed
MATCH (p:Paper)-[:USES_TECHNIQUE]->(t:Technique)
MATCH (p)-[:APPLIED_TO]->(m:Model)
WITH p, t, m, wanted, squeezed, CASE WHEN m.family IS NULL OR m.family = '' THEN m.name ELSE m.family END AS fam
WITH p, t, wanted, fam,
     wanted = '' OR toLower(fam) CONTAINS wanted AS by_family,
     squeezed <> '' AND replace(replace(toLower(m.name), '-', ''), ' ', '') STARTS WITH squeezed AS by_name
WHERE by_family OR by_name
WITH CASE WHEN by_family THEN fam ELSE $family END AS family, t.name AS technique, count(DISTINCT p) AS papers
RETURN family, technique, papers
ORDER BY papers DESC, family, technique
LIMIT $limit
