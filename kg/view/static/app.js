// kg serve: the page's script. Everything that came from the graph goes into the DOM as text
// (textContent, text nodes, element properties) and never as HTML; vis-network draws labels on a
// canvas and shows string tooltips with innerText.
"use strict";

(() => {
  const MAX_GRAPH_NODES = 300;
  const MAX_CELL = 300;
  const NAME_KEYS = ["name", "title", "metric", "url", "id", "key"];
  const FALLBACK = { color: "#8a8f98", shape: "dot" };

  const $ = (id) => document.getElementById(id);
  const labelStyle = (name) => (typeof name === "string" && Object.hasOwn(labels, name) ? labels[name] : null);
  const token = new URLSearchParams(window.location.search).get("token");
  const authHeaders = token ? { "X-KG-Token": token } : {};

  let library = [];
  let labels = {};
  let relationships = new Set();
  let network = null;

  // ---- small DOM helpers: text only --------------------------------------------------------

  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node[key] = value;
    }
    for (const child of children) node.append(child);
    return node;
  }

  function setState(state) {
    document.body.dataset.state = state;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    $("error").textContent = "";
    $("error").hidden = true;
  }

  // what the store warned about the query (Neo4j: "The property `nme` does not exist"): a
  // misspelt name answers null, which looks like an answer; shown apart from errors, as text
  function showWarnings(warnings) {
    const items = (Array.isArray(warnings) ? warnings : []).filter((w) => typeof w === "string");
    $("warning-list").replaceChildren(...items.map((w) => el("li", { text: w })));
    $("warnings").hidden = items.length === 0;
    return items.length;
  }

  async function api(path, body, signal, extra = {}) {
    const init = body === undefined
      ? { headers: authHeaders, signal }
      : { method: "POST", headers: { ...authHeaders, "Content-Type": "application/json" }, body: JSON.stringify(body), signal, ...extra };
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      if (e.name === "AbortError") throw e; // a newer query took its place: nothing to say
      throw new Error(`cannot reach the kg server (${e.message}); is \`kg serve\` still running?`);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      throw new Error(`the server answered ${response.status} ${response.statusText} without JSON`);
    }
    if (!response.ok || data.error) {
      const error = new Error(data.error || `the server answered ${response.status}`);
      error.cancelled = data.cancelled === true; // stopped on the page's request: not a failure
      throw error;
    }
    return data;
  }

  // ---- cancelling: the server runs one query at a time, so one nobody waits for must stop ------

  // the id a query is sent with, to cancel it by; random, so no other page can cancel it
  // (crypto.randomUUID needs a secure context, which a page served with --allow-remote is not)
  function newRunId() {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // asks the server to stop the query sent with this id; answers {stopped} once it has (or has
  // not, after a few seconds). keepalive: it still goes out when the page is being closed
  function stopOnServer(runId) {
    return api("/api/cancel", { run: runId }, undefined, { keepalive: true });
  }

  // ---- values ---------------------------------------------------------------------------------

  const isNode = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && typeof v._label === "string";
  const isRel = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && typeof v._type === "string";
  const isPath = (v) => v !== null && typeof v === "object" && Array.isArray(v.nodes) && Array.isArray(v.relationships);

  function shorten(text, limit) {
    return text.length <= limit ? text : text.slice(0, limit - 1) + "…";
  }

  function formatNumber(v) {
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  }

  function nodeName(node) {
    for (const key of NAME_KEYS) {
      if (node[key] !== undefined && node[key] !== null && node[key] !== "") return String(node[key]);
    }
    return node._label;
  }

  function describe(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return formatNumber(value);
    if (typeof value === "string") return value;
    if (isNode(value)) return `${value._label}: ${nodeName(value)}`;
    if (isRel(value)) return `:${value._type}${value.sentence ? ` (${value.sentence})` : ""}`;
    if (isPath(value)) {
      // "GPTQ -USES_TECHNIQUE- quantization": the path as its nodes and relationships read
      const steps = value.nodes.map((n, i) => (i ? ` -${(value.relationships[i - 1] || {})._type || ""}- ` : "") + nodeName(n));
      return steps.join("");
    }
    if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
      return value.map((v) => (v === null ? "null" : String(v))).join(", ");
    }
    if (Array.isArray(value) && value.every(isNode)) return value.map(describe).join("; ");
    return JSON.stringify(value);
  }

  function propertyLines(obj) {
    const lines = [];
    for (const [key, value] of Object.entries(obj)) {
      if (key === "abstract" || value === null || value === "" || (Array.isArray(value) && !value.length)) continue;
      lines.push(`${key}: ${shorten(typeof value === "string" ? value : JSON.stringify(value), 200)}`);
    }
    return lines.join("\n");
  }

  // ---- the library menu and parameter fields ---------------------------------------------------

  function renderLibrary(queries, store) {
    const select = $("library");
    for (const q of queries) {
      const option = el("option", { value: q.name, text: q.neo4j_only && store !== "neo4j" ? `${q.name} (Neo4j only)` : q.name });
      option.title = q.question;
      select.append(option);
    }
  }

  function selectedQuery() {
    return library.find((q) => q.name === $("library").value) || null;
  }

  function paramText(value) {
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  function referencedParams(text) {
    const code = text.split("\n").filter((line) => !line.trim().startsWith("//")).join("\n");
    const names = [];
    for (const match of code.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!names.includes(match[1])) names.push(match[1]);
    }
    return names;
  }

  function renderParams() {
    const query = selectedQuery();
    const defaults = query ? query.defaults : {};
    const container = $("param-fields");
    const previous = {};
    for (const input of container.querySelectorAll("input")) previous[input.dataset.name] = input.value;
    const used = referencedParams($("cypher").value);
    const names = [...Object.keys(defaults).filter((name) => used.includes(name)), ...used.filter((name) => !(name in defaults))];
    container.replaceChildren();
    for (const name of names) {
      const id = `param-${name}`;
      const input = el("input", { id, type: "text", autocomplete: "off" });
      input.dataset.name = name;
      input.value = name in previous ? previous[name] : name in defaults ? paramText(defaults[name]) : "";
      container.append(el("div", { className: "param" }, [el("label", { htmlFor: id, text: name }), input]));
    }
    $("params").hidden = names.length === 0;
  }

  function pickQuery() {
    const query = selectedQuery();
    $("question").textContent = query ? query.question : "";
    if (query) $("cypher").value = query.text;
    $("param-fields").replaceChildren();
    renderParams();
  }

  function readParams() {
    const query = selectedQuery();
    const defaults = query ? query.defaults : {};
    const params = {};
    for (const input of $("param-fields").querySelectorAll("input")) {
      const name = input.dataset.name;
      const raw = input.value;
      const kind = name in defaults ? typeof defaults[name] : "unknown";
      if (kind === "string") {
        params[name] = raw;
      } else if (kind === "number") {
        if (raw.trim() === "" || Number.isNaN(Number(raw))) throw new Error(`parameter ${name} must be a number, not "${raw}"`);
        params[name] = Number(raw);
      } else if (kind === "boolean") {
        if (!["true", "false"].includes(raw.trim())) throw new Error(`parameter ${name} must be true or false, not "${raw}"`);
        params[name] = raw.trim() === "true";
      } else {
        // like `kg query --param`: JSON where it parses, else the text
        try {
          params[name] = JSON.parse(raw);
        } catch (e) {
          params[name] = raw;
        }
      }
    }
    return params;
  }

  // ---- the table --------------------------------------------------------------------------------

  function renderTable(columns, rows) {
    const head = el("tr", {}, columns.map((c) => el("th", { text: c, scope: "col" })));
    $("table").tHead.replaceChildren(head);
    const body = $("table").tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = el("tr");
      for (const value of row) {
        const td = el("td");
        if (value === null || value === undefined) {
          td.className = "null";
          td.textContent = "null";
        } else if (typeof value === "number") {
          td.className = "num";
          td.textContent = formatNumber(value);
        } else if (isNode(value)) {
          const style = labelStyle(value._label) || FALLBACK;
          const tag = el("span", { className: "tag", text: value._label });
          tag.style.borderLeftColor = style.color; // the colour marks it; the text stays dark on light
          td.append(tag, document.createTextNode(shorten(nodeName(value), MAX_CELL)));
          td.title = propertyLines(value);
        } else if (isRel(value)) {
          td.textContent = shorten(describe(value), MAX_CELL);
          td.title = propertyLines(value);
        } else {
          const text = describe(value);
          td.textContent = shorten(text, MAX_CELL);
          if (text.length > MAX_CELL) expandable(td, text);
        }
        tr.append(td);
      }
      body.append(tr);
    }
  }

  // a cell cut short opens in place on a click, Enter or Space: the whole text, for the keyboard too
  function expandable(td, text) {
    const short = td.textContent;
    td.title = text;
    td.tabIndex = 0;
    td.className = "cut";
    td.setAttribute("aria-expanded", "false");
    const toggle = () => {
      const open = td.getAttribute("aria-expanded") !== "true";
      td.textContent = open ? text : short;
      td.setAttribute("aria-expanded", String(open));
    };
    td.addEventListener("click", toggle);
    td.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle();
      }
    });
  }

  // ---- the graph ------------------------------------------------------------------------------

  class GraphBuilder {
    constructor() {
      this.nodes = new Map();
      this.edges = new Map();
      this.groups = new Map();
      this.leftOut = new Set(); // ids, so a node in many rows is one left out
    }

    addNode(id, props) {
      if (this.nodes.has(id)) {
        this.nodes.get(id).value += 1;
        return true;
      }
      if (this.nodes.size >= MAX_GRAPH_NODES) {
        this.leftOut.add(id);
        return false;
      }
      const style = labelStyle(props.group) || this.styleFor(props.group);
      this.groups.set(props.group, style);
      this.nodes.set(id, {
        id,
        label: shorten(props.label, 40),
        title: props.title,
        color: style.color,
        shape: style.shape,
        value: 1,
      });
      return true;
    }

    styleFor(group) {
      if (this.groups.has(group)) return this.groups.get(group);
      const palette = ["#8a8f98", "#5b8e7d", "#b5838d", "#6d6875", "#e5989b", "#457b9d"];
      return { color: palette[this.groups.size % palette.length], shape: "dot" };
    }

    addEdge(from, to, label, title, value) {
      if (from === to || !this.nodes.has(from) || !this.nodes.has(to)) return;
      const id = `${from}\u0000${to}\u0000${label || ""}`;
      if (this.edges.has(id)) return;
      const edge = { id, from, to, label: label || undefined, title: title || undefined };
      if (typeof value === "number") edge.value = value;
      this.edges.set(id, edge);
    }

    // rows that hold nodes: each node once, consecutive nodes of a row linked, labelled by a
    // relationship returned between them
    addNodeRow(row) {
      const items = [];
      const walk = (value) => {
        if (isNode(value)) items.push({ node: value });
        else if (isRel(value)) items.push({ rel: value });
        else if (isPath(value)) {
          value.nodes.forEach((n, i) => {
            if (i > 0 && value.relationships[i - 1]) items.push({ rel: value.relationships[i - 1] });
            items.push({ node: n });
          });
        } else if (Array.isArray(value)) value.forEach(walk);
      };
      row.forEach(walk);
      let previous = null;
      let relation = null;
      for (const item of items) {
        if (item.rel) {
          relation = item.rel;
          continue;
        }
        const node = item.node;
        const key = (labelStyle(node._label) || {}).key;
        const id = `${node._label}:${key && node[key] !== undefined ? node[key] : JSON.stringify(node)}`;
        const lines = [`${node._label}`, propertyLines(Object.fromEntries(Object.entries(node).filter(([k]) => k !== "_label")))];
        if (!this.addNode(id, { label: nodeName(node), title: lines.join("\n"), group: node._label })) continue;
        if (previous) this.addEdge(previous, id, relation ? relation._type : "", relation ? propertyLines(relation) : "");
        previous = id;
        relation = null;
      }
    }

    // rows of plain values: names become nodes (coloured by the label their column names),
    // the first name of a row is linked to the others; numbers and long text go to the tooltips
    addScalarRows(columns, rows) {
      const kinds = classifyColumns(columns, rows);
      let entities = kinds.filter((k) => k.kind === "entity");
      if (!entities.length) entities = kinds.filter((k) => !["empty", "labels", "edges"].includes(k.kind));
      const relationColumn = kinds.find((k) => k.kind === "relation");
      const labelColumn = kinds.find((k) => k.kind === "labels");
      const measures = kinds.filter((k) => k.kind === "measure" && !entities.includes(k));
      const details = kinds.filter((k) => !entities.includes(k) && k !== relationColumn && k !== labelColumn);
      for (const row of rows) {
        const ids = [];
        for (const column of entities) {
          const value = row[column.index];
          if (value === null || value === undefined || value === "") continue;
          const group = column.label || (labelColumn && labelStyle(row[labelColumn.index]) ? row[labelColumn.index] : column.name);
          const text = describe(value);
          const id = `name:${text}`; // one node per name, whichever column it turns up in
          if (this.addNode(id, { label: text, title: `${column.name}: ${text}`, group })) ids.push(id);
        }
        const title = details
          .filter((k) => row[k.index] !== null && row[k.index] !== undefined && row[k.index] !== "")
          .map((k) => `${k.name}: ${shorten(describe(row[k.index]), 200)}`)
          .join("\n");
        const measure = measures.length ? row[measures[0].index] : undefined;
        const relation = relationColumn ? row[relationColumn.index] : "";
        if (ids.length === 1 && typeof measure === "number" && entities.length === 1) {
          const node = this.nodes.get(ids[0]);
          node.value = Math.max(node.value, measure);
          if (title) node.title += `\n${title}`;
        }
        for (const id of ids.slice(1)) this.addEdge(ids[0], id, relation, title, measure);
      }
    }
  }

  function classifyColumns(columns, rows) {
    return columns.map((name, index) => {
      const values = rows.map((r) => r[index]).filter((v) => v !== null && v !== undefined && v !== "");
      const lower = name.toLowerCase();
      if (!values.length) return { name, index, kind: "empty" };
      if (values.every(isRel)) return { name, index, kind: "edges" }; // drawn only with their ends
      if (values.every((v) => typeof v === "number" || typeof v === "boolean")) return { name, index, kind: "measure" };
      if (values.every((v) => labelStyle(v))) return { name, index, kind: "labels" };
      if (values.every((v) => relationships.has(v))) return { name, index, kind: "relation" };
      const text = values.every((v) => typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x !== "object")));
      const long = values.some((v) => describe(v).length > 120);
      // a result's unit ("x") and direction ("increase") qualify its number: no names to draw
      if (!text || long || /(^|_)(id|key)$/.test(lower) || /sentence|abstract|evidence|^(unit|direction)$/.test(lower)) {
        return { name, index, kind: "detail" };
      }
      const label = Object.keys(labels).find((l) => lower.includes(l.toLowerCase())) || null;
      return { name, index, kind: "entity", label };
    });
  }

  function renderGraph(columns, rows) {
    const builder = new GraphBuilder();
    const hasNodes = rows.some((row) => row.some((v) => isNode(v) || isPath(v) || (Array.isArray(v) && v.some(isNode))));
    if (hasNodes) rows.forEach((row) => builder.addNodeRow(row));
    else builder.addScalarRows(columns, rows);

    const legend = $("legend");
    legend.replaceChildren();
    for (const [group, style] of builder.groups) {
      const swatch = el("span", { className: "swatch" });
      swatch.style.background = style.color;
      legend.append(el("span", { className: "legend-item" }, [swatch, document.createTextNode(group)]));
    }
    const notes = [];
    if (!builder.nodes.size) {
      const edgesOnly = rows.length && rows.every((row) => row.some(isRel));
      notes.push(edgesOnly
        ? "Nothing to draw: relationships alone have no ends to draw; return their nodes too (RETURN a, r, b)."
        : "Nothing to draw: the rows hold no nodes or names.");
    }
    if (builder.leftOut.size) notes.push(`The graph shows the first ${MAX_GRAPH_NODES} nodes; ${builder.leftOut.size} more are only in the table.`);
    $("graph-note").textContent = notes.join(" ");

    if (network) {
      network.destroy();
      network = null;
    }
    const container = $("graph");
    container.dataset.nodes = String(builder.nodes.size);
    container.dataset.edges = String(builder.edges.size);
    container.dataset.stable = "false";
    if (typeof vis === "undefined") {
      $("graph-note").textContent = "The graph library (vis-network) did not load; the table still has every row.";
      return;
    }
    const data = { nodes: new vis.DataSet([...builder.nodes.values()]), edges: new vis.DataSet([...builder.edges.values()]) };
    network = new vis.Network(container, data, {
      nodes: {
        font: { size: 13, face: "system-ui, sans-serif", color: "#1f2430", strokeWidth: 3, strokeColor: "#ffffff" },
        borderWidth: 1,
        scaling: { min: 8, max: 28, label: { enabled: false } },
      },
      edges: {
        arrows: { to: { enabled: true, scaleFactor: 0.45 } },
        color: { color: "#b9c0cc", highlight: "#4b5563", hover: "#4b5563" },
        font: { size: 9, color: "#6b7280", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
        scaling: { min: 1, max: 5, label: { enabled: false } },
        smooth: { type: "continuous" },
      },
      physics: {
        solver: "forceAtlas2Based",
        forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.4 },
        stabilization: { iterations: 250 },
      },
      interaction: { hover: true, tooltipDelay: 120 },
    });
    const settle = () => {
      if (!network || container.dataset.stable === "true") return;
      network.setOptions({ physics: false });
      container.dataset.stable = "true";
    };
    network.once("stabilizationIterationsDone", settle);
    network.once("stabilized", settle);
    if (!builder.nodes.size) container.dataset.stable = "true";
  }

  function clearResults() {
    if (network) {
      network.destroy();
      network = null;
    }
    $("table").tHead.replaceChildren();
    $("table").tBodies[0].replaceChildren();
    $("legend").replaceChildren();
    $("graph-note").textContent = "";
    $("plan").textContent = "";
    $("plan").hidden = true;
    showWarnings([]);
    for (const key of ["nodes", "edges", "stable"]) delete $("graph").dataset[key];
  }

  // ---- history: Back and Forward step through the queries run, a reload keeps the last ---------

  function pageState() {
    const params = {};
    for (const input of $("param-fields").querySelectorAll("input")) params[input.dataset.name] = input.value;
    return { library: $("library").value, cypher: $("cypher").value, params };
  }

  function remember(state) {
    const hash = `#q=${encodeURIComponent(JSON.stringify(state))}`;
    if (location.hash !== hash) history.pushState(state, "", hash);
  }

  // the library query's question, marked when the Cypher box no longer holds its text
  function showQuestion() {
    const query = selectedQuery();
    $("question").textContent = query ? `${query.question}${$("cypher").value === query.text ? "" : " (edited)"}` : "";
  }

  function restore(state) {
    $("library").value = library.some((q) => q.name === state.library) ? state.library : "";
    $("cypher").value = typeof state.cypher === "string" ? state.cypher : "";
    showQuestion();
    $("param-fields").replaceChildren();
    renderParams();
    for (const input of $("param-fields").querySelectorAll("input")) {
      const value = (state.params || {})[input.dataset.name];
      if (typeof value === "string") input.value = value;
    }
  }

  // A query in the address runs by itself only when this page recorded it there (back, forward,
  // reload: history.state is then ours). One in an address made elsewhere, a link on another site,
  // is filled in and waits for Run: a link must not run queries on the user's graph.
  function fromAddress(state, recorded) {
    restore(state);
    if (recorded) {
      run({ record: false });
    } else {
      dropInFlight();
      clearError();
      clearResults();
      $("status").textContent = "The query in the address is filled in: read it, then press Run.";
      setState("ready");
    }
  }

  function stateInAddress() {
    if (!location.hash.startsWith("#q=")) return null;
    try {
      const state = JSON.parse(decodeURIComponent(location.hash.slice(3)));
      return state && typeof state === "object" ? state : null;
    } catch (e) {
      return null;
    }
  }

  // ---- running a query --------------------------------------------------------------------------

  let initialState = { library: "", cypher: "", params: {} }; // what the page showed when it opened
  let runs = 0; // the latest run's number: an answer to an older one is dropped
  let inFlight = null; // the running query: { runId, controller }

  function showRunning(running) {
    $("run").disabled = running;
    $("cancel").hidden = !running;
    $("cancel").disabled = false;
  }

  // The running query's answer is no longer wanted (a newer query, Back to where the page
  // opened): drop it here, and have the server stop it, or the next query would wait for it.
  function dropInFlight() {
    runs += 1;
    if (inFlight) {
      inFlight.controller.abort();
      stopOnServer(inFlight.runId).catch(() => {}); // an old query's fate is not the new one's news
      inFlight = null;
    }
    showRunning(false);
  }

  async function cancelRun() {
    if (!inFlight) return;
    const { runId } = inFlight;
    $("cancel").disabled = true;
    $("status").textContent = "Cancelling…";
    setState("cancelling");
    try {
      // the query's own answer ("cancelled") ends the run; this says only if the store is slow to stop
      const answer = await stopOnServer(runId);
      if (!answer.stopped && inFlight && inFlight.runId === runId) {
        $("status").textContent = "Cancelling… the store has not stopped the query yet (it stops at the server's --timeout)";
      }
    } catch (e) {
      if (inFlight && inFlight.runId === runId) {
        $("status").textContent = `Could not cancel (${e.message}); the query runs on.`;
        $("cancel").disabled = false;
        setState("running");
      }
    }
  }

  async function run({ record = true } = {}) {
    dropInFlight(); // Ctrl+Enter, Back or Forward while a query runs: the new one wins
    const mine = runs;
    clearError();
    const button = $("run");
    const query = selectedQuery();
    const cypher = $("cypher").value;
    let body;
    try {
      const params = readParams();
      body = query && cypher === query.text ? { name: query.name, params } : { cypher, params };
      if (record) remember(pageState());
    } catch (e) {
      // as after a failed query: no rows from the last one left standing under the error
      $("status").textContent = "";
      clearResults();
      showError(e.message);
      setState("error");
      return;
    }
    showRunning(true);
    setState("running");
    $("status").textContent = "Running…";
    const started = performance.now();
    const controller = new AbortController();
    const runId = newRunId();
    inFlight = { runId, controller };
    try {
      const result = await api("/api/query", { ...body, run: runId }, controller.signal);
      if (mine !== runs) return;
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const count = result.rows.length;
      const rows = result.truncated
        ? `the first ${count} rows (the rest were not fetched; narrow the query or add LIMIT)`
        : `${count} row${count === 1 ? "" : "s"}`;
      const warned = showWarnings(result.warnings);
      $("status").textContent = `${rows} in ${seconds} s${warned ? `; ${warned} warning${warned === 1 ? "" : "s"} below` : ""}`;
      renderTable(result.columns, result.rows);
      renderGraph(result.columns, result.rows);
      const hasPlan = typeof result.plan === "string"; // EXPLAIN, PROFILE
      $("plan").textContent = hasPlan ? result.plan : ""; // text, never HTML: it may quote the query's strings
      $("plan").hidden = !hasPlan;
      setState("done");
    } catch (e) {
      if (mine !== runs) return;
      clearResults();
      if (e.cancelled) {
        $("status").textContent = "Cancelled.";
        setState("cancelled");
      } else {
        $("status").textContent = "";
        showError(e.message);
        setState("error");
      }
    } finally {
      if (mine === runs) {
        inFlight = null;
        const dropped = document.activeElement === document.body || document.activeElement === $("cancel");
        showRunning(false);
        if (dropped) button.focus(); // the disabled Run, or Cancel about to hide, lost the focus: give it back
      }
    }
  }

  async function start() {
    $("library").addEventListener("change", pickQuery);
    $("cypher").addEventListener("input", () => {
      showQuestion();
      renderParams();
    });
    $("run").addEventListener("click", () => run());
    $("cancel").addEventListener("click", cancelRun);
    // a page closed or reloaded while its query runs: the server need not finish it
    window.addEventListener("pagehide", () => {
      if (inFlight) stopOnServer(inFlight.runId).catch(() => {});
    });
    $("cypher").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
    $("param-fields").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault();
        run();
      }
    });
    window.addEventListener("popstate", (event) => {
      const state = stateInAddress();
      if (state) {
        fromAddress(state, event.state !== null);
      } else {
        dropInFlight(); // its answer would land on the page as it opened
        restore(initialState); // back to where the page opened: what it showed then
        clearError();
        clearResults();
        $("status").textContent = "";
        setState("ready");
      }
    });
    try {
      const [queries, schema] = await Promise.all([api("/api/queries"), api("/api/schema")]);
      library = queries.queries;
      labels = schema.labels;
      relationships = new Set(schema.relationships);
      $("store").textContent = `${queries.store} store · read-only`;
      renderLibrary(library, queries.store);
      renderParams();
      initialState = pageState();
      $("graph-note").textContent = "Pick a query from the library or write Cypher, then Run.";
      setState("ready");
      const state = stateInAddress();  // a reload, or an address someone sent
      if (state) fromAddress(state, history.state !== null);
    } catch (e) {
      showError(e.message);
      setState("error");
    }
  }

  start();
})();
