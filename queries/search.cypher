// Which papers, entities and repositories have a title, id, name, alias or URL containing some text?
// @param text = "quantization"
// @param limit = 50
// A row is a hit: its kind (the node label), its name (a paper's title, a repository's URL), and its key (a paper's id, an entity's key, a repository's URL). Matching is a case-insensitive substring test, not the full-text index, so it runs the same on both stores.
WITH toLower($text) AS wanted
OPTIONAL MATCH (n:Paper) WHERE toLower(n.title) CONTAINS wanted OR toLower(n.id) CONTAINS wanted
WITH wanted, collect({kind: 'Paper', name: n.title, key: n.id}) AS hits
OPTIONAL MATCH (n:Method)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Method', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Technique)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Technique', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Model)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Model', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Dataset)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Dataset', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Metric)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Metric', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Task)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Task', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Hardware)
WHERE toLower(n.name) CONTAINS wanted OR any(alias IN n.aliases WHERE toLower(alias) CONTAINS wanted)
WITH wanted, hits, collect({kind: 'Hardware', name: n.name, key: n.key}) AS found
WITH wanted, hits + found AS hits
OPTIONAL MATCH (n:Repository) WHERE toLower(n.url) CONTAINS wanted
WITH hits, collect({kind: 'Repository', name: n.url, key: n.url}) AS found
UNWIND hits + found AS hit
WITH hit WHERE hit.key IS NOT NULL
RETURN DISTINCT hit.kind AS kind, hit.name AS name, hit.key AS key
ORDER BY kind, name, key
LIMIT $limit
