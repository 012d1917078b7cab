// How are two named entities connected in the graph, by chains of at most three steps?
// @param from = "GPTQ"
// @param to = "NVIDIA A100"
// @param limit = 10
// A row is one chain from an entity (method, technique, model, dataset, measure, task or hardware) named `from` to one named `to` (name or key, case-insensitive): its number of hops and the names of the nodes in between (titles for papers, the measure for results); up to `limit` chains of each length, shortest first. Chains never visit a node twice; relationships are followed in either direction, and parallel relationships (several papers stating one fact) count once.
MATCH (a:Method|Technique|Model|Dataset|Metric|Task|Hardware) WHERE toLower(a.name) = toLower($from) OR a.key = $from
MATCH (b:Method|Technique|Model|Dataset|Metric|Task|Hardware) WHERE toLower(b.name) = toLower($to) OR b.key = $to
MATCH (a)--(b)
WITH DISTINCT a, b WHERE a <> b
RETURN 1 AS hops, a.name AS source, CASE WHEN false THEN '' END AS step_1, CASE WHEN false THEN '' END AS step_2,
       b.name AS target
ORDER BY source, target
LIMIT $limit
UNION ALL
MATCH (a:Method|Technique|Model|Dataset|Metric|Task|Hardware) WHERE toLower(a.name) = toLower($from) OR a.key = $from
MATCH (b:Method|Technique|Model|Dataset|Metric|Task|Hardware) WHERE toLower(b.name) = toLower($to) OR b.key = $to
WITH DISTINCT a, b
MATCH (a)--(x1)
WITH DISTINCT a, b, x1 WHERE a <> b AND x1 <> a AND x1 <> b
MATCH (x1)--(b)
WITH DISTINCT a, b, x1
RETURN 2 AS hops, a.name AS source, coalesce(x1.name, x1.title, x1.url, CASE WHEN x1.metric IS NULL THEN 'a result' ELSE 'result: ' + x1.metric END) AS step_1,
       CASE WHEN false THEN '' END AS step_2,
       b.name AS target
ORDER BY source, target, step_1
LIMIT $limit
UNION ALL
MATCH (a:Method|Technique|Model|Dataset|Metric|Task|Hardware) WHERE toLower(a.name) = toLower($from) OR a.key = $from
MATCH (b:Method|Technique|Model|Dataset|Metric|Task|Hardware) WHERE toLower(b.name) = toLower($to) OR b.key = $to
WITH DISTINCT a, b
MATCH (a)--(x1)
WITH DISTINCT a, b, x1 WHERE a <> b AND x1 <> a AND x1 <> b
MATCH (x1)--(x2)
WITH DISTINCT a, b, x1, x2 WHERE x2 <> a AND x2 <> b AND x2 <> x1
MATCH (x2)--(b)
WITH DISTINCT a, b, x1, x2
RETURN 3 AS hops, a.name AS source, coalesce(x1.name, x1.title, x1.url, CASE WHEN x1.metric IS NULL THEN 'a result' ELSE 'result: ' + x1.metric END) AS step_1,
       coalesce(x2.name, x2.title, x2.url, CASE WHEN x2.metric IS NULL THEN 'a result' ELSE 'result: ' + x2.metric END) AS step_2, b.name AS target
ORDER BY source, target, step_1, step_2
LIMIT $limit
