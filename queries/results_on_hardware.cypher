// Which results were measured on a device, about what, and against what?
// @param hardware = ""
// @param limit = 100
// A row is one reported number: the device, the measure, the value and unit, up or down, whether that is a gain (true), a cost (false) or neither (null), the model it is about and the baseline it is compared with (when the sentence names them), the paper's title and the evidence sentence. An empty hardware means every device; otherwise it is matched by name, key or alias, case-insensitively, and its variants count too (A100 finds A100-80GB), each row naming the one the result was measured on.
WITH toLower($hardware) AS wanted
MATCH (r:Result)-[:ON_HARDWARE]->(h:Hardware)
OPTIONAL MATCH (h)-[:VARIANT_OF*0..3]->(asked:Hardware)
WHERE toLower(asked.name) = wanted OR asked.key = $hardware
   OR any(alias IN asked.aliases WHERE toLower(alias) = wanted)
WITH wanted, r, h, count(asked) AS hits
WHERE wanted = '' OR hits > 0
MATCH (p:Paper)-[:REPORTS]->(r)
OPTIONAL MATCH (r)-[:FOR_MODEL]->(m:Model)
RETURN h.name AS hardware, r.metric AS metric, r.value AS value, r.unit AS unit, r.direction AS direction,
       r.gain AS gain, m.name AS model, r.baseline AS baseline, p.title AS paper, r.sentence AS sentence
ORDER BY hardware, metric, value DESC, paper, sentence
LIMIT $limit
