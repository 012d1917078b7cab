// Which proposed methods have a code repository?
// @param method = ""
// @param limit = 50
// A row is a method a paper proposes, a repository that paper links to, the repository's host, and the paper's title. An empty method means every method; otherwise the method's name must contain it, case-insensitively.
MATCH (p:Paper)-[:PROPOSES]->(m:Method)
WHERE $method = '' OR toLower(m.name) CONTAINS toLower($method)
MATCH (p)-[:HAS_CODE]->(r:Repository)
WITH DISTINCT m, r, p
RETURN m.name AS method, r.url AS repository, r.host AS host, p.title AS paper, p.id AS paper_id
ORDER BY method, repository, paper, paper_id
LIMIT $limit
