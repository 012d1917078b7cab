// What do papers using a technique say it costs: which measures got worse, and by how much?
// @param technique = ""
// @param limit = 100
// A row is a technique, a result that changed its measure for the worse (`r.gain = false`: an accuracy drop, a perplexity increase, extra latency or memory) reported by a paper using the technique (or a technique below it in the taxonomy), its value, unit and baseline, the paper's title and the evidence sentence; the trade-offs beside the gains of best_gain_per_technique. An empty technique means every technique; otherwise it is matched by name, key or alias, case-insensitively.
WITH toLower($technique) AS wanted
MATCH (t:Technique)
WHERE wanted = '' OR toLower(t.name) = wanted OR t.key = $technique
   OR any(alias IN t.aliases WHERE toLower(alias) = wanted)
MATCH (p:Paper)-[:USES_TECHNIQUE]->(:Technique)-[:SUBCLASS_OF*0..10]->(t)
MATCH (p)-[:REPORTS]->(r:Result)
WHERE r.gain = false
WITH DISTINCT t, p, r
RETURN t.name AS technique, r.metric AS metric, r.value AS value, r.unit AS unit, r.direction AS direction,
       r.baseline AS baseline, p.title AS paper, r.sentence AS sentence
ORDER BY technique, metric, value DESC, paper, sentence
LIMIT $limit
