(function () {
  if (typeof Chart === 'undefined') { return; }
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  Chart.defaults.maintainAspectRatio = false;
  function el(id) { return document.getElementById(id); }
  function xy(xs, ys) { return xs.map(function (x, i) { return { x: x, y: ys[i] }; }); }
  function line(label, data, color, extra) {
    const d = { label: label, data: data, borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 2, tension: 0 };
    return Object.assign(d, extra || {});
  }
  const last = DATA.t.length ? DATA.t[DATA.t.length - 1] : 0;
  const timeAxis = { type: 'linear', min: 0, max: last, title: { display: true, text: 'seconds since the catch-up started' } };
  const count = { callback: function (v) { return Number(v).toLocaleString('en'); } };
  const firstApplied = {
    id: 'firstApplied',
    afterDatasetsDraw(chart) {
      if (DATA.firstApplied == null) { return; }
      const area = chart.chartArea, x = chart.scales.x.getPixelForValue(DATA.firstApplied), ctx = chart.ctx;
      if (x < area.left || x > area.right) { return; }
      ctx.save();
      ctx.strokeStyle = '#656d76';
      ctx.setLineDash([4, 4]);
      ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
      ctx.restore();
    }
  };

  if (el('cumulative')) {
    new Chart(el('cumulative'), {
      type: 'line',
      data: { datasets: [line('published', xy(DATA.t, DATA.published), '#8250df'), line('applied', xy(DATA.t, DATA.applied), '#1a7f37')] },
      options: { scales: { x: timeAxis, y: { beginAtZero: true, ticks: count, title: { display: true, text: 'events' } } } },
      plugins: [firstApplied]
    });
  }
  if (el('rate')) {
    const flat = function (y) { return [{ x: 0, y: y }, { x: last, y: y }]; };
    // each rate holds for the interval that ends at its point: start the steps at the first sample
    const steps = function (ys) { return ys.length ? [{ x: DATA.t[0], y: ys[0] }].concat(xy(DATA.rateT, ys)) : []; };
    const datasets = [
      line('published/s', steps(DATA.publishedRate), '#8250df', { stepped: 'before' }),
      line('applied/s', steps(DATA.appliedRate), '#1a7f37', { stepped: 'before' }),
      line('goal', flat(DATA.goal), '#cf222e', { borderDash: [6, 4], borderWidth: 1 })
    ];
    if (DATA.average != null) {
      datasets.push(line('average', flat(DATA.average), '#0969da', { borderDash: [2, 3], borderWidth: 1 }));
    }
    new Chart(el('rate'), {
      type: 'line',
      data: { datasets: datasets },
      options: { scales: { x: timeAxis, y: { beginAtZero: true, ticks: count, title: { display: true, text: 'events/s' } } } },
      plugins: [firstApplied]
    });
  }
  function bars(id, labels, values, color, unit) {
    if (!el(id)) { return; }
    new Chart(el(id), {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: unit, data: values, backgroundColor: color }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: count, title: { display: true, text: unit } } } }
    });
  }
  bars('cpu', DATA.cpuLabels, DATA.cpuValues, '#0969da', 'CPU seconds');
  bars('stages', DATA.stageLabels, DATA.stageValues, '#8250df', 'ms');
  bars('phases', DATA.phaseLabels, DATA.phaseValues, '#1a7f37', 'ms');
})();
