// Draws the network map (figure[data-network-map]) with Cytoscape.js from the two tables beside
// it, which are its accessible version and its source: each organisation row (tr[data-node])
// gives a node, with its standing (data-standing) and label (data-label, which names a lapsed or
// unconnected standing in words); each agreement row (tr[data-edge]) gives a small node linked to
// its parties (data-parties, organisation ids), the links dashed once it has ended
// (data-in-force="0"). A lapsed organisation is outlined dashed, an unconnected one with a double
// line, besides the word in its label: never colour alone. The drawing is a picture: hidden from
// assistive technology, it takes neither focus nor the pointer, so it cannot hold the keyboard or
// stop the page from scrolling.
(function () {
  'use strict';
  // Above this many organisations and agreements, 'cose' takes too long in a browser: they are
  // then drawn in rings, those with the most links in the middle ('concentric').
  var LARGE = 300;

  function rows(figure, selector) {
    return Array.prototype.slice.call(figure.querySelectorAll(selector));
  }

  function elementsOf(figure) {
    var elements = [];
    var known = {};
    rows(figure, 'table[data-map-nodes] tbody tr[data-node]').forEach(function (tr) {
      var id = 'o' + tr.getAttribute('data-node');
      var standing = tr.getAttribute('data-standing') || 'connected';
      known[id] = true;
      elements.push({
        group: 'nodes',
        data: { id: id, label: tr.getAttribute('data-label') || '', agency: tr.getAttribute('data-agency') === '1' ? 1 : 0 },
        classes: 'organisation ' + standing
      });
    });
    rows(figure, 'table[data-map-edges] tbody tr[data-edge]').forEach(function (tr) {
      var id = 'a' + tr.getAttribute('data-edge');
      var ended = tr.getAttribute('data-in-force') !== '1';
      var parties = (tr.getAttribute('data-parties') || '').split(' ').filter(function (p) { return known['o' + p]; });
      if (!parties.length) return;
      elements.push({ group: 'nodes', data: { id: id, label: tr.getAttribute('data-label') || '' }, classes: 'agreement' + (ended ? ' ended' : '') });
      parties.forEach(function (p) {
        elements.push({ group: 'edges', data: { id: id + '-o' + p, source: id, target: 'o' + p }, classes: ended ? 'ended' : '' });
      });
    });
    return elements;
  }

  // The organisations' labels are always shown on a map of ordinary size (they carry the words
  // "lapsed" and "unconnected"); on a large one they would only overlap, and are left out once too
  // small to read (the outlines and the tables still tell the standings apart).
  function styleFor(large) {
    return [
      { selector: 'node.organisation', style: {
        'label': 'data(label)', 'font-size': 11, 'color': '#1a1a1a', 'text-valign': 'bottom', 'text-margin-y': 4,
        'text-wrap': 'wrap', 'text-max-width': 140, 'text-background-color': '#fff', 'text-background-opacity': 0.85,
        'min-zoomed-font-size': large ? 7 : 0, 'width': 26, 'height': 26,
        'background-color': '#0066cc', 'border-width': 2, 'border-style': 'solid', 'border-color': '#00478f' } },
      { selector: 'node.organisation[agency > 0]', style: { 'shape': 'hexagon', 'width': 36, 'height': 36 } },
      { selector: 'node.lapsed', style: { 'background-color': '#fff', 'border-width': 3, 'border-style': 'dashed', 'border-color': '#92278f' } },
      { selector: 'node.unconnected', style: { 'background-color': '#fff', 'border-width': 6, 'border-style': 'double', 'border-color': '#d81a21' } },
      { selector: 'node.agreement', style: {
        'shape': 'diamond', 'width': 12, 'height': 12, 'background-color': '#1a1a1a',
        'label': 'data(label)', 'font-size': 8, 'color': '#4d4d4d', 'text-valign': 'top', 'text-margin-y': -2, 'min-zoomed-font-size': 8 } },
      { selector: 'node.agreement.ended', style: { 'background-color': '#fff', 'border-width': 1.5, 'border-style': 'dashed', 'border-color': '#5c5c5c' } },
      { selector: 'edge', style: { 'width': 2, 'line-color': '#0066cc', 'curve-style': 'straight' } },
      { selector: 'edge.ended', style: { 'line-style': 'dashed', 'line-color': '#5c5c5c' } }
    ];
  }

  function layoutFor(large) {
    if (!large) return { name: 'cose', animate: false, nodeDimensionsIncludeLabels: true, padding: 24 };
    return {
      name: 'concentric', animate: false, padding: 16, minNodeSpacing: 4,
      concentric: function (node) { return node.degree(); },
      levelWidth: function () { return 2; }
    };
  }

  function draw(figure) {
    if (typeof cytoscape === 'undefined') return;
    var elements = elementsOf(figure);
    var count = elements.filter(function (e) { return e.group === 'nodes'; }).length;
    if (!count) return;
    var box = document.createElement('div');
    box.className = 'arr-chart__canvas';
    box.setAttribute('aria-hidden', 'true');
    box.style.height = '32rem';
    box.style.maxWidth = 'none';
    box.style.pointerEvents = 'none';
    figure.insertBefore(box, figure.querySelector('h3'));
    cytoscape({
      container: box,
      elements: elements,
      style: styleFor(count > LARGE),
      layout: layoutFor(count > LARGE),
      userZoomingEnabled: false,
      userPanningEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      autounselectify: true
    });
  }

  function start() {
    var figures = document.querySelectorAll('figure[data-network-map]');
    if (!figures.length) return;
    // Cytoscape.js adds a <style> element positioning its container unless an element of this id
    // exists; the pages' policy refuses inline styles, and .arr-chart__canvas positions it already.
    if (!document.getElementById('__________cytoscape_stylesheet')) {
      var placeholder = document.createElement('template');
      placeholder.id = '__________cytoscape_stylesheet';
      document.head.appendChild(placeholder);
    }
    Array.prototype.forEach.call(figures, draw);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
