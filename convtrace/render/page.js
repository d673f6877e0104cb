
window.convtraceInit = window.convtraceInit || function (root) {
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var D = JSON.parse(root.querySelector("script.ct-data").textContent);
  var T = D.text, N = D.results.length, isConv = D.kind === "conv";
  var Hp = D.paddedShape[0], Wp = D.paddedShape[1], F = D.outShape[0], H = D.outShape[1], W = D.outShape[2];
  var kh = D.size[0], kw = D.size[1], dh = D.dilation[0], dw = D.dilation[1];
  var current = 0, timer = null, marked = [];
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function indexText(n) {
    var c = D.cells[n];
    return "[" + (D.squeeze ? [c[1], c[2]] : c).join(", ") + "]";
  }
  function grid(rows, cols, make) {
    var box = el("div", "ct-scroll"), table = el("table", "ct-grid"), body = el("tbody");
    if (D.index) {
      var head = el("tr");
      head.appendChild(el("th"));
      for (var j = 0; j < cols; j++) { head.appendChild(el("th", "", j)); }
      body.appendChild(head);
    }
    for (var i = 0; i < rows; i++) {
      var tr = el("tr");
      if (D.index) { tr.appendChild(el("th", "", i)); }
      for (var jj = 0; jj < cols; jj++) { tr.appendChild(make(i, jj)); }
      body.appendChild(tr);
    }
    table.appendChild(body);
    box.appendChild(table);
    return {box: box, table: table};
  }
  function panel(title) {
    var p = el("section", "ct-panel");
    if (title) { p.appendChild(el("h3", "", title)); }
    return p;
  }
  var stat = root.querySelector(".ct-static");
  if (stat) { stat.parentNode.removeChild(stat); }

  var size = el("pre", "ct-size", T.size.join("\n"));
  root.appendChild(size);

  var controls = el("div", "ct-controls");
  function button(act, label, symbol) {
    var b = el("button", "", symbol + (label && symbol ? " " : "") + label);
    b.type = "button";
    b.setAttribute("data-act", act);
    b.setAttribute("aria-label", label);
    b.title = label;
    controls.appendChild(b);
    return b;
  }
  var bFirst = button("first", "", "|\u25C0"), bPrev = button("prev", T.prev, "\u25C0");
  var bPlay = button("play", T.play, "\u25B6"), bNext = button("next", T.next, "");
  var bLast = button("last", "", "\u25B6|");
  bFirst.setAttribute("aria-label", T.first); bFirst.title = T.first;
  bLast.setAttribute("aria-label", T.last); bLast.title = T.last;
  bNext.textContent = T.next + " \u25B6";
  bPlay.setAttribute("aria-pressed", "false");
  var label = el("label", "", T.scrub + " ");
  var slider = el("input", "ct-scrub");
  slider.type = "range"; slider.min = "1"; slider.max = String(N); slider.value = "1"; slider.step = "1";
  slider.setAttribute("aria-label", T.scrub);
  label.appendChild(slider);
  var stepno = el("span", "ct-stepno", "1/" + N);
  label.appendChild(stepno);
  controls.appendChild(label);
  root.appendChild(controls);

  var heading = el("p", "ct-heading");
  heading.setAttribute("aria-live", "polite");
  root.appendChild(heading);
  var panels = el("div", "ct-panels");
  root.appendChild(panels);

  // The (padded) input, one grid per channel.
  var inCells = [], inPanel = panel(null);
  for (var c = 0; c < D.padded.length; c++) {
    var ttl = T.input + (D.padded.length > 1 ? " \u00B7 " + T.groupLabels[c] : "");
    inPanel.appendChild(el("h3", "", ttl));
    var cellsOf = [];
    (function (c, cellsOf) {
      var g = grid(Hp, Wp, function (i, j) {
        var k = i * Wp + j, pad = D.padMask.charAt(k) === "1", v = D.padded[c][k];
        var shown = pad && T.padText ? T.padText : v;
        var td = el("td", pad ? "ct-pad" : "", shown);
        td.setAttribute("data-r", i);
        td.setAttribute("data-c", j);
        td.setAttribute("aria-label", fill(pad ? T.cellPadding : T.cellInput, {row: i, col: j, value: shown}));
        cellsOf.push(td);
        return td;
      });
      g.table.classList.add("ct-in");
      inPanel.appendChild(g.box);
    })(c, cellsOf);
    inCells.push(cellsOf);
  }
  panels.appendChild(inPanel);

  // The kernel of each output map (convolution).
  var kernels = [];
  if (isConv) {
    var kPanel = panel(null), G = D.groupWidth;
    for (var f = 0; f < D.weights.length; f++) {
      var box = el("div", "ct-kmap");
      for (var gg = 0; gg < G; gg++) {
        var kt = T.kernel + (G > 1 || D.weights.length > 1 ? " \u00B7 " + (D.weights.length > 1 ? "#" + f + " " : "") +
                 (G > 1 ? T.groupLabels[gg] : "") : "");
        box.appendChild(el("h3", "", kt));
        (function (f, gg) {
          box.appendChild(grid(kh, kw, function (i, j) { return el("td", "", D.weights[f][(gg * kh + i) * kw + j]); }).box);
        })(f, gg);
      }
      kPanel.appendChild(box);
      kernels.push(box);
    }
    panels.appendChild(kPanel);
  }

  // The working: products (convolution) or the window's verdict (pooling).
  var work = panel(isConv ? T.products : T.window);
  var prod = el("table", "ct-prod"), workLine = el("p", "ct-work"), sum = el("p", "ct-sum");
  sum.setAttribute("aria-live", "polite");
  if (isConv) { var pbox = el("div", "ct-scroll"); pbox.appendChild(prod); work.appendChild(pbox); }
  else { work.appendChild(workLine); }
  work.appendChild(sum);
  panels.appendChild(work);

  // The output maps: every cell a button.
  var outCells = [], stepOf = {};
  for (var n = 0; n < N; n++) { var cc = D.cells[n]; stepOf[(cc[0] * H + cc[1]) * W + cc[2]] = n; }
  var outPanel = panel(null);
  for (var m = 0; m < F; m++) {
    outPanel.appendChild(el("h3", "", T.outputs[m]));
    (function (m) {
      var g = grid(H, W, function (i, j) {
        var td = el("td"), key = (m * H + i) * W + j, s = stepOf[key];
        var b = el("button", "ct-cell", D.out[m][i * W + j]);
        b.type = "button";
        var idx = D.squeeze ? "[" + i + ", " + j + "]" : "[" + m + ", " + i + ", " + j + "]";
        b.setAttribute("aria-label", fill(T.cellOutput, {index: idx, value: D.out[m][i * W + j]}));
        if (s !== undefined) {
          b.setAttribute("data-step", s);
          b.addEventListener("click", function () { stop(); show(s, false); });
          b.addEventListener("mouseenter", function () { if (!timer) { show(s, false); } });
          b.addEventListener("focus", function () { if (!timer) { show(s, false); } });
          outCells[s] = td;
        }
        td.appendChild(b);
        return td;
      });
      g.table.classList.add("ct-out");
      outPanel.appendChild(g.box);
    })(m);
  }
  panels.appendChild(outPanel);

  var hint = el("p", "ct-hint", T.hint);
  root.appendChild(hint);
  var legend = el("p", "ct-legend");
  T.legend.forEach(function (item) {
    var s = el("span"), sw = el("span", "ct-sw " + item[0]);
    sw.setAttribute("aria-hidden", "true");
    s.appendChild(sw); s.appendChild(document.createTextNode(item[1]));
    legend.appendChild(s);
  });
  root.appendChild(legend);

  function products(n) {
    while (prod.firstChild) { prod.removeChild(prod.firstChild); }
    var G = D.groupWidth, win = D.windows[n], pr = D.products[n], f = D.cells[n][0], body = el("tbody");
    for (var g = 0; g < G; g++) {
      if (G > 1) {
        var th = el("th", "", T.groupLabels[D.channels[n] + g] + ":");
        th.colSpan = 5;
        var tr0 = el("tr"); tr0.appendChild(th); body.appendChild(tr0);
      }
      for (var t = 0; t < kh * kw; t++) {
        var k = g * kh * kw + t, tr = el("tr");
        tr.appendChild(el("td", "", win[k])); tr.appendChild(el("td", "ct-op", "\u00D7"));
        tr.appendChild(el("td", "", D.weights[f][k])); tr.appendChild(el("td", "ct-op", "="));
        tr.appendChild(el("td", "", pr[k]));
        body.appendChild(tr);
      }
    }
    prod.appendChild(body);
    var line = T.sum + " = " + D.totals[n];
    var bias = D.bias ? D.bias[f] : null;
    if (D.scale) { line += "   \u00D7 " + D.scale; }
    if (bias !== null && bias !== undefined) { line += "   + " + T.bias + " " + bias; }
    if (D.scale || (bias !== null && bias !== undefined)) { line += " = " + D.results[n]; }
    sum.textContent = line;
  }
  function verdict(n) {
    var win = D.windows[n], inside = D.inside[n], vals = [];
    for (var t = 0; t < kh * kw; t++) { if (inside.charAt(t) === "1") { vals.push(String(win[t])); } }
    var mode = D.mode, r = D.results[n];
    if (mode === "max" || mode === "min") {
      var w = D.winners[n];
      workLine.textContent = mode + "(" + vals.join(", ") + ") = " + r;
      sum.textContent = w[0] < 0 ? T.allPadding : fill(T.winner, {value: r, a: w[0], b: w[1]});
    } else if (mode === "sum") {
      workLine.textContent = vals.join(" + ") + " = " + r;
      sum.textContent = T.sum + " = " + r;
    } else {
      workLine.textContent = "(" + vals.join(" + ") + ") \u00F7 " + D.divisors[n] + " = " + r;
      sum.textContent = fill(T.avg[String(D.divisors[n])], {total: D.totals[n], result: r});
    }
  }
  function show(n, scroll) {
    n = Math.max(0, Math.min(N - 1, n));
    current = n;
    marked.forEach(function (td) { td.classList.remove("ct-win", "ct-winner"); });
    marked = [];
    var o = D.origins[n], ch = D.channels[n], first = null;
    var w = isConv ? null : D.winners[n];
    for (var g = 0; g < D.groupWidth; g++) {
      for (var a = 0; a < kh; a++) {
        for (var b = 0; b < kw; b++) {
          var r = o[0] + a * dh, c = o[1] + b * dw;
          if (r < 0 || r >= Hp || c < 0 || c >= Wp) { continue; }
          var td = inCells[ch + g][r * Wp + c];
          td.classList.add("ct-win");
          if (w && w[0] === a && w[1] === b) { td.classList.add("ct-winner"); }
          marked.push(td);
          if (!first) { first = td; }
        }
      }
    }
    kernels.forEach(function (k, f) { k.style.display = f === D.cells[n][0] ? "" : "none"; });
    if (isConv) { products(n); } else { verdict(n); }
    for (var s = 0; s < N; s++) {
      var cell = outCells[s];
      if (!cell) { continue; }
      cell.classList.toggle("ct-cur", s === n);
      cell.classList.toggle("ct-later", s > n);
    }
    slider.value = String(n + 1);
    stepno.textContent = (n + 1) + "/" + N;
    heading.textContent = fill(T.step, {n: n + 1, index: indexText(n), row: o[0], col: o[1]});
    root.setAttribute("data-step", String(n));
    root.setAttribute("data-result", String(D.results[n]));
    if (scroll && first && first.scrollIntoView) { first.scrollIntoView({block: "nearest", inline: "nearest"}); }
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    bPlay.textContent = "\u25B6 " + T.play;
    bPlay.setAttribute("aria-label", T.play);
    bPlay.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (current >= N - 1) { show(0, true); }
    bPlay.textContent = "\u2016 " + T.pause;
    bPlay.setAttribute("aria-label", T.pause);
    bPlay.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (current >= N - 1) { stop(); return; }
      show(current + 1, true);
    }, 800);
  }
  bFirst.addEventListener("click", function () { stop(); show(0, true); });
  bPrev.addEventListener("click", function () { stop(); show(current - 1, true); });
  bNext.addEventListener("click", function () { stop(); show(current + 1, true); });
  bLast.addEventListener("click", function () { stop(); show(N - 1, true); });
  bPlay.addEventListener("click", function () { if (timer) { stop(); } else { play(); } });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10) - 1, true); });
  root.addEventListener("keydown", function (e) {
    if (e.target === slider) { return; }
    if (e.key === "ArrowRight") { stop(); show(current + 1, true); }
    else if (e.key === "ArrowLeft") { stop(); show(current - 1, true); }
  });
  stop();
  show(0, false);
};
