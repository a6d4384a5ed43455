// Draws each chart of a page from the table beside it (figure[data-chart]): the table is the
// chart's accessible version and its source, so the two always show the same figures. The
// table's first column names the rows (the chart's labels); each data cell carries its figure in
// data-value. The canvas is hidden from assistive technology.
//
// data-chart="bar": the table's other columns but the last (the total) are the chart's stacked
// series, or the total alone when it is the only one.
//
// data-chart="line": every other column is a line, except a column whose header says
// data-series="skip" (words the table shows beside the figures, such as a stage). The y axis runs
// from 1 to 5 and its ticks are named by the figure's data-levels, a JSON list of the five names
// in order (the integration maturity continuum). A cell without a data-value leaves a gap. Each
// line also has its own point shape, so the lines differ by more than their colour.
(function () {
  'use strict';
  var pointStyles = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'cross'];
  function canvasFor(figure) {
    var box = document.createElement('div');
    box.className = 'arr-chart__canvas';
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    box.appendChild(canvas);
    figure.insertBefore(box, figure.querySelector('.arr-table-wrap'));
    return canvas;
  }
  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
  }
  function labelsOf(rows) {
    return rows.map(function (tr) { return tr.querySelector('th').textContent.trim(); });
  }
  function drawBar(figure, table) {
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); }).slice(1);
    var rows = rowsOf(table);
    var labels = labelsOf(rows);
    var columns = heads.length > 1 ? heads.length - 1 : 1;
    var datasets = [];
    for (var i = 0; i < columns; i++) {
      datasets.push({
        label: heads[i],
        data: rows.map(function (tr) { return Number(tr.querySelectorAll('td')[i].getAttribute('data-value')); })
      });
    }
    new Chart(canvasFor(figure), {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: columns > 1 } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  function levelNames(figure) {
    try {
      var names = JSON.parse(figure.getAttribute('data-levels') || '[]');
      return Array.isArray(names) ? names : [];
    } catch (e) {
      return [];
    }
  }
  function drawLine(figure, table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll('thead th')).slice(1);
    var rows = rowsOf(table);
    var names = levelNames(figure);
    var datasets = [];
    heads.forEach(function (th, i) {
      if (th.getAttribute('data-series') === 'skip') return;
      datasets.push({
        label: th.textContent.trim(),
        data: rows.map(function (tr) {
          var cell = tr.querySelectorAll('td')[i];
          var value = cell ? cell.getAttribute('data-value') : null;
          return value === null || value === '' ? null : Number(value);
        }),
        pointStyle: pointStyles[datasets.length % pointStyles.length],
        pointRadius: 5,
        pointHoverRadius: 7
      });
    });
    new Chart(canvasFor(figure), {
      type: 'line',
      data: { labels: labelsOf(rows), datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: true, labels: { usePointStyle: true } } },
        scales: {
          y: {
            min: 1,
            max: 5,
            ticks: {
              stepSize: 1,
              callback: function (value) { return names[value - 1] || value; }
            }
          }
        }
      }
    });
  }
  function draw(figure) {
    var table = figure.querySelector('table');
    if (!table || typeof Chart === 'undefined') return;
    var kind = figure.getAttribute('data-chart');
    if (kind === 'bar') drawBar(figure, table);
    else if (kind === 'line') drawLine(figure, table);
  }
  function start() { Array.prototype.forEach.call(document.querySelectorAll('figure[data-chart]'), draw); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
