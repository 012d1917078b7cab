// What does the paper proposing a method report: its gains, its costs, on what and against what?
// @param method = "GPTQ"
// @param limit = 100
// A row is one result reported by a paper that proposes the method (matched by name, key or alias, case-insensitively): the measure, value and unit, whether it is a gain (true), a cost (false) or neither (null), the direction, the baseline, benchmark, model and hardware the sentence ties it to, the paper's title and the evidence sentence. Gains first, then costs, then the rest.
WITH toLower($method) AS wanted
MATCH (p:Paper)-[:PROPOSES]->(m:Method)
WHERE toLower(m.name) = wanted OR m.key = $method OR any(alias IN m.aliases WHERE toLower(alias) = wanted)
MATCH (p)-[:REPORTS]->(r:Result)
RETURN m.name AS method, r.metric AS metric, r.value AS value, r.unit AS unit, r.gain AS gain,
       r.direction AS direction, r.baseline AS baseline, r.dataset AS dataset, r.model AS model,
       r.hardware AS hardware, p.title AS paper, r.sentence AS sentence
ORDER BY method, CASE r.gain WHEN true THEN 0 WHEN false THEN 1 ELSE 2 END, metric, value DESC, sentence
LIMIT $limit
