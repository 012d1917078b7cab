// What does one paper claim, and which sentence supports each claim?
// @param paper = "GPTQ"
// @param limit = 200
// A row is one fact a paper (id, bare arXiv id, or title substring, case-insensitive) supports: the relationship type, its subject (null when it is the paper itself), its object (an entity's name, a result's metric, a repository's URL or another paper's title), a result's value and unit, and the evidence sentence. Facts from the paper's text that do not start at the paper (INSTANCE_OF, SUBCLASS_OF) are found by their paper_id.
MATCH (p:Paper)
WHERE p.id = $paper OR p.id = 'arxiv:' + $paper OR toLower(p.title) CONTAINS toLower($paper)
OPTIONAL MATCH (p)-[r:PROPOSES]->(x:Method)
WITH p, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'PROPOSES' END, subject: null, object: x.name,
                 value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c1
OPTIONAL MATCH (p)-[r:USES_TECHNIQUE]->(x:Technique)
WITH p, c1, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'USES_TECHNIQUE' END, subject: null, object: x.name,
                     value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c2
OPTIONAL MATCH (p)-[r:APPLIED_TO]->(x:Model)
WITH p, c1, c2, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'APPLIED_TO' END, subject: null, object: x.name,
                         value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c3
OPTIONAL MATCH (p)-[r:INTRODUCES]->(x:Model)
WITH p, c1 + c2 + c3 AS c123,
     collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'INTRODUCES' END, subject: null, object: x.name,
              value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c3b
OPTIONAL MATCH (p)-[r:EVALUATED_ON]->(x:Dataset)
WITH p, c123, c3b, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'EVALUATED_ON' END, subject: null, object: x.name,
                            value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c4
OPTIONAL MATCH (p)-[r:COMPARED_WITH]->(x:Method)
WITH p, c123 + c3b + c4 AS facts,
     collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'COMPARED_WITH' END, subject: null, object: x.name,
              value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c5
OPTIONAL MATCH (p)-[r:MENTIONS]->(x:Method)
WITH p, facts, c5, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'MENTIONS' END, subject: null, object: x.name,
                            value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c6
OPTIONAL MATCH (p)-[r:ADDRESSES]->(x:Task)
WITH p, facts, c5, c6, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'ADDRESSES' END, subject: null, object: x.name,
                                value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c7
OPTIONAL MATCH (p)-[r:RUNS_ON]->(x:Hardware)
WITH p, facts, c5, c6, c7, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'RUNS_ON' END, subject: null, object: x.name,
                                    value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c8
OPTIONAL MATCH (p)-[r:MEASURES]->(x:Metric)
WITH p, facts + c5 + c6 + c7 + c8 AS facts,
     collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'MEASURES' END, subject: null, object: x.name,
              value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c9
OPTIONAL MATCH (p)-[r:REPORTS]->(x:Result)
WITH p, facts, c9, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'REPORTS' END, subject: null, object: x.metric,
                            value: x.value, unit: x.unit, sentence: r.sentence}) AS c10
OPTIONAL MATCH (p)-[r:HAS_CODE]->(x:Repository)
WITH p, facts, c9, c10, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'HAS_CODE' END, subject: null, object: x.url,
                                 value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c11
OPTIONAL MATCH (p)-[r:SIMILAR_TO]-(x:Paper)
WITH p, facts + c9 + c10 + c11 AS facts,
     collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'SIMILAR_TO' END, subject: null, object: x.title,
              value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c12
OPTIONAL MATCH (s:Method)-[r:INSTANCE_OF]->(x:Technique)
WHERE r.paper_id = p.id
WITH p, facts, c12, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'INSTANCE_OF' END, subject: s.name, object: x.name,
                             value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c13
OPTIONAL MATCH (s:Technique)-[r:SUBCLASS_OF]->(x:Technique)
WHERE r.paper_id = p.id
WITH p, facts, c12, c13, collect({relation: CASE WHEN r IS NULL THEN '' ELSE 'SUBCLASS_OF' END, subject: s.name, object: x.name,
                                  value: CASE WHEN false THEN 0.0 END, unit: null, sentence: r.sentence}) AS c14
UNWIND facts + c12 + c13 + c14 AS fact
WITH p, fact WHERE fact.relation <> ''
RETURN DISTINCT p.title AS paper, p.id AS paper_id, fact.relation AS relation, fact.subject AS subject,
       fact.object AS object, fact.value AS value, fact.unit AS unit, fact.sentence AS sentence
ORDER BY paper, paper_id, relation, subject, object, value, unit, sentence
LIMIT $limit
