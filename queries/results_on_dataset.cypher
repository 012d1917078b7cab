// Which results were measured on a benchmark, for which model, and against what?
// @param dataset = ""
// @param limit = 100
// A row is one reported number: the benchmark, the measure, the value and unit, up or down, whether that is a gain (true), a cost (false) or neither (null), the model it is about and the baseline it is compared with (when the sentence names them), the paper's title and the evidence sentence. An empty dataset means every benchmark; otherwise it is matched by name, key or alias, case-insensitively, and its parts count too (a suite's benchmarks, a dataset's subsets: GLUE finds SST-2, ImageNet finds ImageNet-1K), each row naming the one it was measured on.
WITH toLower($dataset) AS wanted
MATCH (r:Result)-[:ON_DATASET]->(d:Dataset)
OPTIONAL MATCH (d)-[:PART_OF*0..5]->(asked:Dataset)
WHERE toLower(asked.name) = wanted OR asked.key = $dataset
   OR any(alias IN asked.aliases WHERE toLower(alias) = wanted)
WITH wanted, r, d, count(asked) AS hits
WHERE wanted = '' OR hits > 0
MATCH (p:Paper)-[:REPORTS]->(r)
OPTIONAL MATCH (r)-[:FOR_MODEL]->(m:Model)
RETURN d.name AS dataset, r.metric AS metric, r.value AS value, r.unit AS unit, r.direction AS direction,
       r.gain AS gain, m.name AS model, r.baseline AS baseline, p.title AS paper, r.sentence AS sentence
ORDER BY dataset, metric, value DESC, paper, sentence
LIMIT $limit
