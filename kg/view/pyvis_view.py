"""Draw a graph as one self-contained HTML page with pyvis (vis-network).

pyvis is touched here only. It is old and its template reaches for CDNs, so
the page is written with its scripts inline and any remaining remote
``<script>``/``<link>`` tags are removed: the file works with no network.
Everything that came from an abstract is HTML-escaped before it goes in.
"""

from __future__ import annotations

import html
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from kg.errors import InputError, KgError, clip
from kg.records import claim_text
from kg.schema import NAME_PROPERTIES

#: colour and shape per label, shown in the legend
STYLE: dict[str, tuple[str, str]] = {
    "Paper": ("#9e9e9e", "square"),
    "Method": ("#e4572e", "dot"),
    "Technique": ("#29335c", "diamond"),
    "Model": ("#f3a712", "dot"),
    "Dataset": ("#669bbc", "triangle"),
    "Metric": ("#a8c686", "star"),
    "Task": ("#8e7dbe", "dot"),
    "Hardware": ("#3d5a80", "box"),
    "Result": ("#c9ada7", "ellipse"),
    "Repository": ("#4a4e69", "hexagon"),
}
#: the vis-network files pyvis ships, which `kg serve` serves itself
VIS_FILES = ("vis-network.min.js", "vis-network.css")
_REMOTE = re.compile(r"<(?:script|link)[^>]+(?:src|href)=\"https?://[^\"]*\"[^>]*>(?:\s*</script>)?", re.IGNORECASE)


def vis_assets() -> dict[str, Path]:
    """vis-network's script and style from pyvis's package folder (no CDN)."""
    lib = Path(str(resources.files("pyvis"))) / "lib"
    folders = sorted(lib.glob("vis-*"), key=lambda p: tuple(int(x) for x in p.name[4:].split(".") if x.isdigit()))
    for folder in reversed(folders):
        if all((folder / name).is_file() for name in VIS_FILES):
            return {name: folder / name for name in VIS_FILES}
    raise KgError(f"vis-network.min.js and vis-network.css are missing from {lib}; reinstall pyvis (`pip install --force-reinstall pyvis`)")


def _searchable(data: dict[str, object], node: str) -> str:
    """What the page's search box matches: the whole name or title (the label is cut at 40
    characters) and every alias."""
    names = [str(data[key]) for key in NAME_PROPERTIES if data.get(key)]
    aliases = data.get("aliases")
    names += [str(a) for a in aliases] if isinstance(aliases, (list, tuple)) else []
    return " | ".join([*names, node]).lower()


def _label_of(data: dict[str, object], node: str) -> str:
    if data.get("label") == "Result" and data.get("value") is not None:
        return claim_text(float(str(data["value"])), str(data.get("unit") or ""), str(data.get("metric") or ""))
    for key in NAME_PROPERTIES:
        value = data.get(key)
        if value:
            return clip(str(value), 40)
    return node


def _tooltip(data: dict[str, object]) -> str:
    # vis-network shows a string tooltip as text (innerText), never as HTML
    lines = [f"{k}: {v}" for k, v in data.items() if v not in (None, "", []) and k not in ("abstract",)]
    return "\n".join(lines)


def select(graph: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, int]:
    """Keep the ``max_nodes`` nodes of highest degree; return the subgraph and how many were left out."""
    if graph.number_of_nodes() <= max_nodes:
        return graph, 0
    ranked = sorted(graph.degree, key=lambda item: (-item[1], str(item[0])))
    keep = [node for node, _ in ranked[:max_nodes]]
    return graph.subgraph(keep).copy(), graph.number_of_nodes() - max_nodes


_CONTROLS_SCRIPT = """
<script>
(function () {
  var legend = document.getElementById("kg-legend");
  function applyFilter() {
    var hidden = {};
    legend.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (!box.checked) { hidden[box.value] = true; }
    });
    nodes.update(nodes.get().map(function (n) { return {id: n.id, hidden: !!hidden[n.kind]}; }));
  }
  legend.querySelectorAll("input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", applyFilter);
  });
  document.getElementById("kg-search").addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var wanted = this.value.trim().toLowerCase();
    var status = document.getElementById("kg-search-status");
    var hits = nodes.get().filter(function (n) {
      return wanted && String(n.find || n.label).toLowerCase().indexOf(wanted) >= 0;
    });
    if (!hits.length) { status.textContent = "no match"; network.unselectAll(); return; }
    network.selectNodes(hits.map(function (n) { return n.id; }));
    network.focus(hits[0].id, {scale: 1.2, animation: true});
    status.textContent = hits.length + (hits.length > 1 ? " matches" : " match");
  });
})();
</script>
"""


def _header(left_out: int) -> str:
    boxes = "".join(
        f'<label style="margin-right:12px"><input type="checkbox" value="{html.escape(label)}" checked> '
        f'<span style="display:inline-block;width:10px;height:10px;background:{color}"></span> '
        f"{html.escape(label)}</label>"
        for label, (color, _) in STYLE.items()
    )
    note = f"{left_out} nodes of lower degree left out" if left_out else ""
    return (
        '<div id="kg-legend" style="font-family:sans-serif;padding:6px;font-size:14px">'
        '<input id="kg-search" type="search" placeholder="Find a node, then Enter" style="margin-right:8px">'
        '<span id="kg-search-status" style="margin-right:16px"></span>'
        f'{boxes}<span id="kg-left-out">{html.escape(note)}</span></div>'
    )


def _safe_ids(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Readable node ids that are safe inside the page's HTML: pyvis writes ids into markup
    unescaped, and a paper id comes from the user's input."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for node, data in graph.nodes(data=True):
        base = html.escape(f"{data.get('label', '')}: {_label_of(data, node)}")
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base} #{n}"
        taken.add(candidate)
        ids[node] = candidate
    return ids


def render(graph: nx.MultiDiGraph, out: Path, *, max_nodes: int = 400) -> tuple[int, int]:
    """Write ``graph`` to ``out``; returns (nodes drawn, nodes left out)."""
    from pyvis.network import Network

    shown, left_out = select(graph, max_nodes)
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line")
    degrees = dict(shown.degree)
    ids = _safe_ids(shown)
    for node, data in shown.nodes(data=True):
        label = str(data.get("label", ""))
        color, shape = STYLE.get(label, ("#777777", "dot"))
        net.add_node(
            ids[node],
            label=_label_of(data, node),
            title=_tooltip({"label": label, **data}),
            color=color,
            shape=shape,
            size=8 + min(degrees.get(node, 0), 40),
            kind=label,
            find=_searchable(data, node),
        )
    for source, target, data in shown.edges(data=True):
        net.add_edge(
            ids[source],
            ids[target],
            label=str(data.get("type", "")),
            title=f"{data.get('type')} (paper {data.get('paper_id')}): {data.get('sentence')}",
            font={"size": 8, "color": "#888888", "strokeWidth": 0},
            color="#bbbbbb",
            arrows="to",
        )
    net.toggle_physics(True)
    page = _REMOTE.sub("", net.generate_html(notebook=False))
    # pyvis writes no title; the browser tab and history should say what the page is
    page = page.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n<title>kg graph: {shown.number_of_nodes()} nodes</title>', 1)
    page = page.replace("<body>", "<body>" + _header(left_out), 1)
    page = page.replace("</body>", _CONTROLS_SCRIPT + "</body>", 1)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {out}: {e.strerror}") from e
    return shown.number_of_nodes(), left_out
