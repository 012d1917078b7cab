// What is the largest gain reported for each technique, per unit, and by which paper?
// @param technique = ""
// @param limit = 100
// A row is a technique, a unit, the largest gain any paper using the technique (or a technique below it in the taxonomy) reports in that unit, its direction and metric, the paper's title and the evidence sentence. A gain is a result that changed its measure for the better (a speedup, less memory, higher accuracy; `r.gain = true`), not a level ("96.1% accuracy") or a cost ("a 0.4% accuracy drop"), and its size is written as a multiple, a percentage or points, so the larger number is the larger gain (a value reached, "down to 3 bits", "to 41 GB", is in results_of_method). Ties give one row per result. An empty technique means every technique; otherwise it is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (t:Technique)
WHERE wanted = '' OR toLower(t.name) = wanted OR t.key = $technique
   OR any(alias IN t.aliases WHERE toLower(alias) = wanted)
MATCH (p:Paper)-[:USES_TECHNIQUE]->(:Technique)-[:SUBCLASS_OF*0..10]->(t)
MATCH (p)-[:REPORTS]->(r:Result)
WHERE r.value IS NOT NULL AND r.gain = true AND r.unit IN ['x', '%', 'points']
WITH t, r.unit AS unit, max(r.value) AS best
MATCH (p:Paper)-[:REPORTS]->(r:Result)
WHERE r.gain = true AND r.unit = unit AND r.value = best
  AND EXISTS { MATCH (p)-[:USES_TECHNIQUE]->(:Technique)-[:SUBCLASS_OF*0..10]->(t) }
WITH DISTINCT t, unit, best, p, r
RETURN t.name AS technique, unit, best AS value, r.direction AS direction, r.metric AS metric,
       p.title AS paper, r.sentence AS sentence
ORDER BY technique, unit, paper, sentence, direction, metric
LIMIT $limit
