// Draws each chart of a page from the table beside it (figure[data-chart]): the table is the
// chart's accessible version and its source, so the two always show the same figures. The
// table's first column names the periods (the chart's labels); its other columns but the last
// (the total) are the chart's stacked series, or the total alone when it is the only one. Each
// data cell carries its figure in data-value. The canvas is hidden from assistive technology.
(function () {
  'use strict';
  function draw(figure) {
    var table = figure.querySelector('table');
    if (!table || typeof Chart === 'undefined') return;
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); }).slice(1);
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    var labels = rows.map(function (tr) { return tr.querySelector('th').textContent.trim(); });
    var columns = heads.length > 1 ? heads.length - 1 : 1;
    var datasets = [];
    for (var i = 0; i < columns; i++) {
      datasets.push({
        label: heads[i],
        data: rows.map(function (tr) { return Number(tr.querySelectorAll('td')[i].getAttribute('data-value')); })
      });
    }
    var box = document.createElement('div');
    box.className = 'arr-chart__canvas';
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-hidden', 'true');
    box.appendChild(canvas);
    figure.insertBefore(box, figure.querySelector('.arr-table-wrap'));
    new Chart(canvas, {
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
  function start() { Array.prototype.forEach.call(document.querySelectorAll('figure[data-chart]'), draw); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
