// How are two named entities connected in the graph, by chains of at most four steps?
// @param from = "GPTQ"
// @param to = "NVIDIA A100"
// @param limit = 25
// A row is one chain from a node named `from` to a node named `to` (name or key, case-insensitive): its number of hops and the names (titles, for papers) of the nodes in between, shortest chains first; steps a shorter chain does not have are null. Chains never visit a node twice; relationships are followed in either direction.
WITH toLower($from) AS source_name, toLower($to) AS target_name
MATCH (a) WHERE toLower(a.name) = source_name OR a.key = $from
MATCH (b) WHERE toLower(b.name) = target_name OR b.key = $to
WITH a, b WHERE a <> b
OPTIONAL MATCH (a)-[r]-(b)
WITH a, b, collect({hops: CASE WHEN r IS NULL THEN 0 ELSE 1 END, step_1: null, step_2: null, step_3: null}) AS one
OPTIONAL MATCH (a)--(x1)--(b)
WHERE x1 <> a AND x1 <> b
WITH a, b, one,
     collect({hops: CASE WHEN x1 IS NULL THEN 0 ELSE 2 END,
              step_1: coalesce(x1.name, x1.title, x1.url, x1.id), step_2: null, step_3: null}) AS two
OPTIONAL MATCH (a)--(x1)--(x2)--(b)
WHERE x1 <> a AND x1 <> b AND x2 <> a AND x2 <> b AND x1 <> x2
WITH a, b, one, two,
     collect({hops: CASE WHEN x1 IS NULL THEN 0 ELSE 3 END,
              step_1: coalesce(x1.name, x1.title, x1.url, x1.id),
              step_2: coalesce(x2.name, x2.title, x2.url, x2.id), step_3: null}) AS three
OPTIONAL MATCH (a)--(x1)--(x2)--(x3)--(b)
WHERE x1 <> a AND x1 <> b AND x2 <> a AND x2 <> b AND x3 <> a AND x3 <> b
  AND x1 <> x2 AND x1 <> x3 AND x2 <> x3
WITH a, b, one, two, three,
     collect({hops: CASE WHEN x1 IS NULL THEN 0 ELSE 4 END,
              step_1: coalesce(x1.name, x1.title, x1.url, x1.id),
              step_2: coalesce(x2.name, x2.title, x2.url, x2.id),
              step_3: coalesce(x3.name, x3.title, x3.url, x3.id)}) AS four
UNWIND one + two + three + four AS chain
WITH a, b, chain WHERE chain.hops > 0
RETURN DISTINCT chain.hops AS hops, a.name AS source, chain.step_1 AS step_1, chain.step_2 AS step_2,
       chain.step_3 AS step_3, b.name AS target
ORDER BY hops, source, target, step_1, step_2, step_3
LIMIT $limit
