// Layout checks for the end-to-end tests (issue 15, "Tests"): what a reader would see as broken on
// a page as laid out — text cut off by a box that hides its overflow, text wider than its box, two
// texts on top of each other, anything outside the screen sideways — and the same for the texts
// ECharts draws on its canvases (what app.test.mjs checked for the Chart tab, here for every chart
// of a page). Each function runs in the page and returns a list of problems, each one line naming
// the element and its text, so a failing test says what to fix.

/**
 * Waits until the shown view has settled: a tab panel, no chart still loading or animating, the
 * map drawn when the map is shown. ECharts moves its labels while it animates: checked before the
 * end, two labels on their way cross each other.
 */
export async function settle(page) {
  await page.waitForFunction(() => {
    const panel = document.querySelector('[role="tabpanel"]');
    if (!panel || document.querySelector('.chart-loading')) return false;
    if (panel.id === 'panel-map' && !panel.querySelector('svg path.area')) return false;
    for (const el of document.querySelectorAll('.chart')) {
      if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
      const inst = globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
      if (!inst || !inst.getOption()) return false;
      const anim = inst.getZr().animation;
      if (anim && typeof anim.isFinished === 'function' && !anim.isFinished()) return false;
    }
    return true;
  }, null, { timeout: 30000, polling: 100 });
  // Two frames: what the last change scheduled is laid out.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * The page's layout problems. `vw` is the viewport's width. A text is clipped when an ancestor
 * that hides its overflow (hidden/clip) ends before the text does; an ancestor that scrolls
 * (auto/scroll: the table, the tab bar) shows the rest by scrolling, which is meant. Visually
 * hidden text (clipped to 1 px for screen readers) is not on screen and not checked.
 */
export async function layoutProblems(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const problems = [];
    const over = document.documentElement.scrollWidth - vw;
    if (over > 0) problems.push(`page: ${over}px wider than the screen`);

    const style = new Map();
    const cs = (el) => {
      let s = style.get(el);
      if (!s) { s = getComputedStyle(el); style.set(el, s); }
      return s;
    };
    const describe = (el, text) => {
      const id = el.closest('[data-testid]')?.dataset.testid;
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `${el.tagName.toLowerCase()}${cls}${id ? ` in [${id}]` : ''} "${(text ?? el.textContent).trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    };
    /** Hidden from sight on purpose: a screen-reader-only element or inside one, the content of a
     *  closed <details> (Chromium keeps its boxes, unpainted), the skip link until it has focus. */
    const srOnly = (el) => {
      if (el.closest('details:not([open]) > :not(summary), .skip:not(:focus)')) return true;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        const s = cs(a);
        if (s.clip && s.clip !== 'auto') return true;
        if (s.clipPath && s.clipPath !== 'none') return true;
        if (s.visibility === 'hidden' || s.opacity === '0') return true;
      }
      return false;
    };
    /**
     * The box a rect is seen through: the viewport, cut by every ancestor that hides or scrolls
     * its overflow. Returns the nearest such ancestor the rect leaves (and whether it scrolls).
     */
    const clipper = (el, r, self = false) => {
      for (let a = self ? el : el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const s = cs(a);
        const ox = s.overflowX;
        const oy = s.overflowY;
        if (ox === 'visible' && oy === 'visible') continue;
        const b = a.getBoundingClientRect();
        const outX = ox !== 'visible' && (r.right > b.right + 1 || r.left < b.left - 1);
        const outY = oy !== 'visible' && (r.bottom > b.bottom + 1 || r.top < b.top - 1);
        if (outX || outY) {
          const scrolls = (outX ? ['auto', 'scroll'].includes(ox) : true) && (outY ? ['auto', 'scroll'].includes(oy) : true);
          return { box: a, scrolls };
        }
      }
      return null;
    };
    const blockOf = (el) => {
      let a = el;
      while (a && ['inline', 'contents'].includes(cs(a).display) && !(a instanceof SVGElement && a.tagName.toLowerCase() === 'svg')) a = a.parentElement;
      return a;
    };

    // Every visible text, a rect per line.
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.nodeValue.trim()) continue;
      const el = n.parentElement;
      // A text right inside a closed <details> is its folded content (the summary's is in <summary>).
      if (el && el.matches('details:not([open])')) continue;
      if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'TITLE'].includes(el.tagName)) continue;
      if (el.closest('#prerender, [hidden]')) continue;
      if (el.getClientRects().length === 0 || srOnly(el)) continue;
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width < 0.5 || r.height < 0.5) continue;
        const clip = clipper(el, r, true);
        if (clip && clip.scrolls) continue; // scrolled out of its box, reachable by scrolling
        if (clip) {
          problems.push(`cut off by ${describe(clip.box, '')}: ${describe(el, n.nodeValue)}`);
          continue;
        }
        const box = blockOf(el);
        if (box && box !== el.ownerDocument.body) {
          const b = box.getBoundingClientRect();
          if (r.right > b.right + 1 || r.left < b.left - 1) problems.push(`wider than its box (${Math.round(r.width)}px in ${Math.round(b.width)}px): ${describe(el, n.nodeValue)}`);
        }
        if (r.right > vw + 1 || r.left < -1) problems.push(`outside the screen (${Math.round(r.left)}–${Math.round(r.right)}px of ${vw}): ${describe(el, n.nodeValue)}`);
        texts.push({ node: n, el, x: r.left, y: r.top, w: r.width, h: r.height });
      }
    }
    // A select shows its chosen option's text in its own box: wider than the box, it is cut.
    const canvas = document.createElement('canvas').getContext('2d');
    for (const sel of document.querySelectorAll('select')) {
      if (sel.getClientRects().length === 0 || srOnly(sel)) continue;
      const opt = sel.options[sel.selectedIndex];
      if (!opt) continue;
      const s = cs(sel);
      canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const need = canvas.measureText(opt.textContent.trim()).width;
      // The room for text: the box less its padding, borders and the drop-down arrow (≈ 20 px).
      const room = sel.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20;
      if (need > room + 1) problems.push(`select cuts its choice (${Math.round(need)}px in ${Math.round(room)}px): ${describe(sel, opt.textContent)}`);
    }
    // Any box sticking out of the screen sideways (a control, an image), unless a scrolling box holds it.
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('#prerender, [hidden]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || (r.right <= vw + 1 && r.left >= -1)) continue;
      if (srOnly(el) || cs(el).position === 'fixed' && cs(el).visibility === 'hidden') continue;
      const clip = clipper(el, r);
      if (clip) continue;
      problems.push(`outside the screen (${Math.round(r.left)}–${Math.round(r.right)}px of ${vw}): ${describe(el)}`);
    }
    // Two texts on top of each other: overlapping by more than a pixel across and by more than a
    // quarter of the smaller line's height (a line's glyph box is a little taller than its
    // line-height, so the lines of one paragraph touch by a pixel or two).
    texts.sort((a, b) => a.y - b.y);
    for (let i = 0; i < texts.length; i++) {
      const a = texts[i];
      for (let j = i + 1; j < texts.length && texts[j].y < a.y + a.h; j++) {
        const b = texts[j];
        if (a.node === b.node) continue;
        const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
        const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
        if (ox > 1 && oy > Math.min(a.h, b.h) / 4) {
          problems.push(`texts overlap: ${describe(a.el, a.node.nodeValue)} / ${describe(b.el, b.node.nodeValue)}`);
        }
      }
    }
    return [...new Set(problems)];
  });
}

/**
 * The problems of every ECharts chart drawn on the page: a text outside its chart, two texts on
 * top of each other, a data label ECharts shortened or left out ("33,3…"). A ring labels only
 * slices of 15° or more (minShowLabelAngle); the rest are in the tooltip. A line's point labels
 * are thinned by ECharts on purpose (every label of a long series would collide), so only bars'
 * and slices' labels must all be whole.
 */
export async function chartProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    for (const el of document.querySelectorAll('.chart')) {
      if (el.getClientRects().length === 0) continue;
      const inst = globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
      if (!inst) continue;
      const name = el.dataset.testid || 'chart';
      const W = inst.getWidth();
      const H = inst.getHeight();
      const texts = [];
      for (const e of inst.getZr().storage.getDisplayList()) {
        const text = e.style && e.style.text;
        if (!text || e.invisible) continue;
        const rect = e.getBoundingRect().clone();
        const m = e.getComputedTransform ? e.getComputedTransform() : e.transform;
        if (m) rect.applyTransform(m);
        texts.push({ text: String(text), x: rect.x, y: rect.y, w: rect.width, h: rect.height });
      }
      for (const t of texts) {
        if (t.x < -0.5 || t.y < -0.5 || t.x + t.w > W + 0.5 || t.y + t.h > H + 0.5) problems.push(`${name}: "${t.text}" outside the chart`);
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i];
          const b = texts[j];
          const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
          if (ox > 1 && oy > 1) problems.push(`${name}: "${a.text}" / "${b.text}" on top of each other`);
        }
      }
      const drawn = new Set(texts.map((t) => t.text));
      for (const s of inst.getOption().series || []) {
        if (s.type === 'line') continue;
        const total = s.type === 'pie' ? (s.data || []).reduce((a, d) => a + ((d && d.value) || 0), 0) : 0;
        for (const d of s.data || []) {
          const f = d && d.label && d.label.formatter;
          if (typeof f !== 'string') continue;
          if (s.type === 'pie' && (d.value / total) * 360 < 15) continue;
          for (const line of f.split('\n')) if (!drawn.has(line)) problems.push(`${name}: label "${line}" cut or missing`);
        }
      }
    }
    return problems;
  });
}
