(function () {
  if (typeof Chart === 'undefined') { return; }
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  Chart.defaults.maintainAspectRatio = false;
  const palette = ['#0969da', '#bf3989', '#8250df', '#bc4c00', '#1a7f37', '#cf222e', '#0550ae', '#953800'];
  const kinds = [];
  function colorOf(name, alpha) {
    let i = kinds.indexOf(name);
    if (i < 0) { kinds.push(name); i = kinds.length - 1; }
    const hex = palette[i % palette.length];
    const r = parseInt(hex.substr(1, 2), 16), g = parseInt(hex.substr(3, 2), 16), b = parseInt(hex.substr(5, 2), 16);
    return 'rgba(' + r + ',' + g + ',' + b + ',' + alpha + ')';
  }
  const timeAxis = { type: 'linear', min: DATA.start || 0, max: DATA.wall, ticks: { includeBounds: false }, title: { display: true, text: 'seconds since the run started' } };
  const faultBands = {
    id: 'faultBands',
    beforeDatasetsDraw(chart) {
      const area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
      ctx.save();
      DATA.faults.forEach(function (f) {
        const x0 = Math.max(area.left, x.getPixelForValue(f.start));
        const x1 = Math.min(area.right, x.getPixelForValue(f.end));
        if (x1 > x0) {
          ctx.fillStyle = colorOf(f.name, 0.13);
          ctx.fillRect(x0, area.top, Math.max(1, x1 - x0), area.bottom - area.top);
        }
      });
      ctx.restore();
    }
  };
  function el(id) { return document.getElementById(id); }
  function points(ys) { return DATA.t.map(function (t, i) { return { x: t, y: ys[i] }; }); }
  function line(label, ys, color) {
    return { label: label, data: points(ys), borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 2, tension: 0.15 };
  }

  if (el('timeline')) {
    new Chart(el('timeline'), {
      type: 'bar',
      data: {
        labels: DATA.faults.map(function (f) { return f.label; }),
        datasets: [{
          data: DATA.faults.map(function (f) { return [f.start, Math.max(f.end, f.start + DATA.wall / 250)]; }),
          backgroundColor: DATA.faults.map(function (f) { return colorOf(f.name, f.healed ? 0.75 : 0.35); }),
          borderColor: DATA.faults.map(function (f) { return colorOf(f.name, 1); }),
          borderWidth: 1, borderSkipped: false, barPercentage: 0.7
        }]
      },
      options: {
        indexAxis: 'y',
        scales: { x: timeAxis, y: { ticks: { font: { family: 'ui-monospace, monospace' } } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (c) { const f = DATA.faults[c.dataIndex]; return f.start.toFixed(1) + ' s → ' + f.end.toFixed(1) + ' s' + (f.healed ? '' : ' (never healed)'); } } }
        }
      }
    });
  }
  if (el('lag')) {
    new Chart(el('lag'), {
      type: 'line',
      data: { datasets: [line('lag (ms)', DATA.lag, '#cf222e')] },
      options: { scales: { x: timeAxis, y: { beginAtZero: true, title: { display: true, text: 'ms' } } }, plugins: { legend: { display: false } } },
      plugins: [faultBands]
    });
  }
  if (el('unseen') && DATA.unseen.length) {
    new Chart(el('unseen'), {
      type: 'line',
      data: { datasets: [{ label: 'committed, not yet visible', data: DATA.unseen, borderColor: '#bc4c00', backgroundColor: '#bc4c00', pointRadius: 1.5, borderWidth: 2, stepped: true }] },
      options: { scales: { x: timeAxis, y: { beginAtZero: true, title: { display: true, text: 'events unseen by the reader' } } }, plugins: { legend: { display: false } } },
      plugins: [faultBands]
    });
  }
  if (el('throughput')) {
    new Chart(el('throughput'), {
      type: 'line',
      data: { datasets: [line('committed', DATA.committed, '#0969da'), line('published', DATA.published, '#8250df'), line('applied', DATA.applied, '#1a7f37')] },
      options: { scales: { x: timeAxis, y: { beginAtZero: true, title: { display: true, text: 'events/s' } } } },
      plugins: [faultBands]
    });
  }
  if (el('stages')) {
    new Chart(el('stages'), {
      type: 'bar',
      data: { labels: DATA.stageLabels, datasets: [{ data: DATA.stageValues, backgroundColor: ['#0969da', '#8250df', '#0550ae', '#1a7f37', '#bc4c00', '#bf8700'] }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
  }
  if (el('outcomes')) {
    new Chart(el('outcomes'), {
      type: 'bar',
      data: { labels: DATA.outcomeLabels, datasets: [{ data: DATA.outcomeValues, backgroundColor: DATA.outcomeBad.map(function (b) { return b ? '#cf222e' : '#1a7f37'; }) }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } }
    });
  }
})();
