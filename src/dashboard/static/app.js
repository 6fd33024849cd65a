// flink-tasks dashboard: the list page and the pipeline page. Plain browser
// JavaScript, no dependencies. All text goes in through textContent.
const SVG = 'http://www.w3.org/2000/svg';
const STATUSES = ['RUNNING', 'PAUSED', 'FAILED', 'COMPLETED', 'CANCELLED', 'PENDING', 'CANCELLING'];
const main = document.getElementById('main');

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c) node.append(c);
  return node;
}

const fmt = new Intl.NumberFormat('en-US');
const num = (n) => fmt.format(n);

function duration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

function ago(ms, now) {
  const d = now - ms;
  if (d < 5000) return 'just now';
  return `${duration(d)} ago`;
}

const absolute = (ms) => (ms === undefined ? '' : new Date(ms).toLocaleString());
const pipelineHref = (id) => `/pipelines/${encodeURIComponent(id)}`;
const badge = (status) => el('span', { class: `badge s-${status}`, text: status.toLowerCase() });
const stepBadge = (status) => el('span', { class: `badge st-${status}`, text: status });

function bar(fraction, { failed = false, running = false } = {}) {
  const inner = el('span', { class: failed ? 'fail' : '' });
  inner.style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
  return el('div', { class: `bar${running ? ' running' : ''}` }, inner);
}

function errorBox(error, title) {
  if (!error) return null;
  return el(
    'div',
    { class: 'error' },
    el('div', { class: 'what', text: `${title ? `${title}: ` : ''}${error.errorType}: ${error.message}` }),
    error.taskName ? el('div', { class: 'muted', text: `in task ${error.taskName}` }) : null,
    error.stack ? el('pre', { class: 'stack', text: error.stack }) : null,
  );
}

async function getJson(url) {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw Object.assign(new Error(body.error ?? `HTTP ${res.status}`), { status: res.status });
  return body;
}

// ---------------------------------------------------------------- list page

function listPage() {
  const params = new URLSearchParams(location.search);
  const state = {
    status: new Set((params.get('status') ?? '').split(',').filter((s) => STATUSES.includes(s))),
    query: params.get('q') ?? '',
    all: params.get('all') === '1',
  };
  const chips = el('div', { class: 'row' });
  const search = el('input', { type: 'search', placeholder: 'Filter by id…', value: state.query, 'aria-label': 'Filter by id' });
  const branches = el('input', { type: 'checkbox', id: 'branches' });
  branches.checked = state.all;
  const live = el('span', { class: 'live', text: 'live' });
  const tableHolder = el('div', {});
  main.replaceChildren(
    el('h1', { text: 'Pipelines' }),
    el('p', { class: 'muted', text: 'Recent pipelines, newest first. Click one to see its picture, steps and errors.' }),
    el('div', { class: 'toolbar' }, chips, search, el('label', { class: 'check' }, branches, 'show branches'), el('span', { class: 'spacer' }), live),
    el('div', { class: 'card', style: undefined }, tableHolder),
  );

  const syncUrl = () => {
    const p = new URLSearchParams();
    if (state.status.size) p.set('status', [...state.status].join(','));
    if (state.query) p.set('q', state.query);
    if (state.all) p.set('all', '1');
    const q = p.toString();
    history.replaceState(null, '', q ? `/?${q}` : '/');
  };
  const drawChips = () => {
    chips.replaceChildren(
      el('button', {
        class: 'chip',
        'aria-pressed': String(state.status.size === 0),
        text: 'All',
        onclick: () => {
          state.status.clear();
          changed();
        },
      }),
      ...STATUSES.slice(0, 5).map((s) =>
        el('button', {
          class: 'chip',
          'data-status': s,
          'aria-pressed': String(state.status.has(s)),
          text: s.toLowerCase(),
          onclick: () => {
            if (state.status.has(s)) state.status.delete(s);
            else state.status.add(s);
            changed();
          },
        }),
      ),
    );
  };
  let timer;
  const changed = () => {
    drawChips();
    syncUrl();
    refresh();
  };
  search.addEventListener('input', () => {
    state.query = search.value.trim();
    syncUrl();
    refresh();
  });
  branches.addEventListener('change', () => {
    state.all = branches.checked;
    syncUrl();
    refresh();
  });

  const refresh = async () => {
    clearTimeout(timer);
    try {
      const q = new URLSearchParams({ limit: '500' });
      if (state.status.size) q.set('status', [...state.status].join(','));
      if (state.all) q.set('all', '1');
      const { pipelines, now } = await getJson(`/api/pipelines?${q}`);
      const shown = pipelines.filter((p) => !state.query || p.id.toLowerCase().includes(state.query.toLowerCase()));
      live.classList.add('on');
      if (shown.length === 0) {
        tableHolder.replaceChildren(
          el('div', {
            class: 'empty',
            text: pipelines.length === 0 && !state.status.size ? 'No pipelines yet. Submit one and it shows up here.' : 'No pipeline matches these filters.',
          }),
        );
      } else {
        tableHolder.replaceChildren(
          el(
            'table',
            { class: 'pipelines' },
            el('thead', {}, el('tr', {}, ...['Pipeline', 'Status', 'Tasks', 'Submitted', 'Took', 'Error'].map((h) => el('th', { text: h })))),
            el(
              'tbody',
              {},
              shown.map((p) => {
                const finished = p.tasks.done + p.tasks.failed;
                return el(
                  'tr',
                  { 'data-id': p.id, 'data-status': p.status },
                  el(
                    'td',
                    { class: 'id mono' },
                    el('a', { href: pipelineHref(p.id), text: p.id, title: p.id }),
                    p.origin !== 'submitted' ? el('span', { class: 'tag', text: p.origin }) : null,
                  ),
                  el('td', {}, badge(p.status)),
                  el(
                    'td',
                    { class: 'num' },
                    el(
                      'div',
                      { class: 'progress' },
                      bar(p.finishedAt !== undefined ? 1 : p.tasks.total ? finished / p.tasks.total : 0, {
                        failed: p.status === 'FAILED' || p.status === 'CANCELLED' || (p.finishedAt === undefined && p.tasks.failed > 0),
                        running: p.finishedAt === undefined,
                      }),
                      el('span', { text: `${num(p.tasks.done)}/${num(p.tasks.total)}${p.tasks.failed ? ` · ${num(p.tasks.failed)} failed` : ''}` }),
                    ),
                  ),
                  el('td', { class: 'num', title: absolute(p.submittedAt), text: ago(p.submittedAt, now) }),
                  el('td', { class: 'num', text: duration((p.finishedAt ?? now) - p.submittedAt) + (p.finishedAt === undefined ? ' …' : '') }),
                  el('td', { class: 'err', text: p.error ? `${p.error.errorType}: ${p.error.message}` : '' }),
                );
              }),
            ),
          ),
        );
      }
    } catch (e) {
      live.classList.remove('on');
      tableHolder.replaceChildren(el('div', { class: 'empty', text: `Could not load pipelines: ${e.message}` }));
    }
    timer = setTimeout(refresh, 2000);
  };
  drawChips();
  refresh();
}

// ------------------------------------------------------------ pipeline page

function drawPicture(layout) {
  const root = svg('svg', {
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    'aria-label': 'pipeline picture',
  });
  const marker = (id, colour) =>
    svg(
      'marker',
      { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 10, markerHeight: 10, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: colour }),
    );
  root.append(svg('defs', {}, marker('arrow-next', '#98a2b3'), marker('arrow-error', '#e03131'), marker('arrow-finally', '#343a40')));
  for (const g of layout.groups) {
    root.append(
      svg(
        'g',
        { 'data-group': g.id },
        svg('rect', { class: `grp${g.collapsed ? ' collapsed' : ''}`, x: g.x, y: g.y, width: g.w, height: g.h, rx: 10 }),
        svg('text', { class: 'grp-label', x: g.x + 10, y: g.y + 16, text: g.label }),
      ),
    );
  }
  for (const e of layout.edges) {
    root.append(svg('path', { class: `edge edge-${e.kind}`, d: e.d, 'marker-end': `url(#arrow-${e.kind})`, 'data-from': e.from, 'data-to': e.to }));
    if (e.kind !== 'next')
      root.append(svg('text', { class: `edge-label ${e.kind}`, x: e.labelAt[0], y: e.labelAt[1], text: e.kind === 'error' ? 'on error' : 'finally' }));
  }
  const nodes = new Map();
  for (const n of layout.nodes) {
    const rx = n.role === 'finally' ? n.h / 2 : n.role === 'exceptionally' ? 3 : 8;
    const sub = svg('text', { class: 'sub', x: n.x + n.w / 2, y: n.y + 36, 'text-anchor': 'middle' });
    const fill = svg('rect', { class: 'fill', x: n.x + 8, y: n.y + n.h - 7, width: 0, height: 3, rx: 1.5 });
    const track = svg('rect', { class: 'track', x: n.x + 8, y: n.y + n.h - 7, width: n.w - 16, height: 3, rx: 1.5, visibility: 'hidden' });
    const g = svg(
      'g',
      { class: `node st-pending role-${n.role}`, 'data-node': n.id, 'data-status': 'pending' },
      svg('title', { text: n.title }),
      svg('rect', { class: 'box', x: n.x, y: n.y, width: n.w, height: n.h, rx }),
      svg('text', { class: 'name', x: n.x + n.w / 2, y: n.y + 20, 'text-anchor': 'middle', text: n.label }),
      sub,
      track,
      fill,
    );
    nodes.set(n.id, { g, sub, fill, track, n });
    root.append(g);
  }
  return { root, nodes };
}

function paintNodes(nodes, steps) {
  for (const s of steps) {
    const v = nodes.get(s.node);
    if (!v) continue;
    v.g.setAttribute('class', `node st-${s.status} role-${s.role}`);
    v.g.setAttribute('data-status', s.status);
    let text;
    let fraction;
    if (s.calls > 1) {
      text = `× ${num(s.calls)} · ${num(s.done)} done${s.failed ? ` · ${num(s.failed)} failed` : ''}`;
      fraction = (s.done + s.failed) / s.calls;
    } else if (s.status === 'running' && s.progress) {
      text = `${Math.round(s.progress.fraction * 100)}%${s.progress.message ? ` · ${s.progress.message}` : ''}`;
      fraction = s.progress.fraction;
    } else {
      const took = s.firstStartedAt !== undefined && s.lastFinishedAt !== undefined ? ` · ${duration(s.lastFinishedAt - s.firstStartedAt)}` : '';
      text = `${s.role === 'more' ? `${num(s.calls)} branches · ` : ''}${s.status}${s.retries ? ` · ${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}` : ''}${took}`;
    }
    v.sub.textContent = text.length > 30 ? `${text.slice(0, 29)}…` : text;
    const showBar = fraction !== undefined && s.status !== 'pending';
    v.track.setAttribute('visibility', showBar ? 'visible' : 'hidden');
    v.fill.setAttribute('width', showBar ? String(Math.round((v.n.w - 16) * Math.max(0, Math.min(1, fraction)))) : '0');
  }
}

async function act(id, action, message) {
  message.className = 'message';
  message.textContent = `${action}…`;
  try {
    const res = await fetch(`/api/pipelines/${encodeURIComponent(id)}/${action}`, { method: 'POST', headers: { 'x-flink-tasks-action': action } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
    message.textContent = `${action} sent${body.status ? `: the pipeline is now ${body.status.toLowerCase()}` : ''}`;
  } catch (e) {
    message.className = 'message bad';
    message.textContent = `${action} failed: ${e.message}`;
  }
}

async function pipelinePage(id) {
  let data;
  try {
    data = await getJson(`/api/pipelines/${encodeURIComponent(id)}`);
  } catch (e) {
    main.replaceChildren(
      el(
        'section',
        { class: 'notfound' },
        el('h1', { text: e.status === 404 ? '404 · unknown pipeline' : 'Could not load the pipeline' }),
        el('p', { text: e.message }),
        el('p', {}, el('a', { href: '/', text: 'Back to the list of pipelines' })),
      ),
    );
    return;
  }
  document.title = `${id} · flink-tasks`;
  const status = el('span', {});
  const facts = el('div', { class: 'facts' });
  const errorHolder = el('div', {});
  const live = el('span', { class: 'live', text: 'live' });
  const message = el('div', { class: 'message', role: 'status' });
  const buttons = ['pause', 'unpause', 'cancel'].map((a) =>
    el('button', {
      'data-action': a,
      class: a === 'cancel' ? 'danger' : '',
      text: a,
      disabled: !data.actions,
      title: data.actions ? `${a} this pipeline` : 'Actions are off: start the dashboard with a token (or allowActions on 127.0.0.1)',
      onclick: () => {
        if (a === 'cancel' && !confirm(`Cancel pipeline ${id}? Running tasks finish; nothing new starts; finallyDo still runs.`)) return;
        act(id, a, message);
      },
    }),
  );
  const picture = drawPicture(data.layout);
  const steps = el('tbody', {});
  const children = el('div', {});
  main.replaceChildren(
    el('div', { class: 'crumbs' }, el('a', { href: '/', text: 'Pipelines' }), ' / ', el('span', { class: 'mono', text: id })),
    el(
      'section',
      { class: 'card' },
      el('div', { class: 'row' }, el('h1', { class: 'mono', text: id }), status, el('span', { class: 'spacer' }), live),
      facts,
      el(
        'div',
        { class: 'row actions', style: undefined },
        ...buttons,
        data.actions ? null : el('span', { class: 'note', text: 'actions are off (no token)' }),
      ),
      message,
      errorHolder,
    ),
    el(
      'section',
      { class: 'card' },
      el('h2', { text: 'Picture' }),
      el('div', { class: 'picture' }, picture.root),
      el(
        'div',
        { class: 'legend' },
        ...['pending', 'running', 'succeeded', 'failed', 'skipped'].map((s) => el('span', {}, el('i', { class: `badge st-${s}` }), s)),
        el('span', { text: '· dashed red: on error · thick: finally · × n: a group or run drawn once' }),
      ),
    ),
    el(
      'section',
      { class: 'card' },
      el('h2', { text: 'Steps' }),
      el(
        'table',
        { class: 'steps' },
        el('thead', {}, el('tr', {}, ...['Step', 'Status', 'Calls', 'Retries', 'Started', 'Took', 'Progress', 'Error'].map((h) => el('th', { text: h })))),
        steps,
      ),
    ),
    children,
    el('details', { class: 'card' }, el('summary', { text: 'Mermaid text of this picture' }), el('pre', { class: 'mermaid-text', text: data.mermaid })),
  );

  const render = (snap) => {
    const s = snap.summary;
    status.replaceChildren(badge(s.status));
    const took = (s.finishedAt ?? snap.now) - s.submittedAt;
    facts.replaceChildren(
      el(
        'div',
        {},
        el('span', { text: 'origin' }),
        s.origin,
        s.parentId ? el('div', {}, 'from ', el('a', { class: 'mono', href: pipelineHref(s.parentId), text: s.parentId })) : null,
      ),
      el('div', {}, el('span', { text: 'submitted' }), absolute(s.submittedAt)),
      el('div', {}, el('span', { text: s.finishedAt === undefined ? 'running for' : 'took' }), duration(took)),
      el(
        'div',
        { class: 'tasks' },
        el('span', { text: 'tasks' }),
        el(
          'div',
          { class: 'progress' },
          bar(s.tasks.total ? (s.tasks.done + s.tasks.failed) / s.tasks.total : 0, { failed: s.tasks.failed > 0, running: s.finishedAt === undefined }),
          `${num(s.tasks.done)}/${num(s.tasks.total)}${s.tasks.failed ? ` · ${num(s.tasks.failed)} failed` : ''}`,
        ),
      ),
    );
    errorHolder.replaceChildren(...[errorBox(s.error, s.status === 'CANCELLED' ? 'cancelled' : 'failed')].filter(Boolean));
    for (const b of buttons) {
      const a = b.dataset.action;
      const can = data.actions && s.finishedAt === undefined && (a === 'cancel' || (a === 'pause' ? s.status !== 'PAUSED' : s.status === 'PAUSED'));
      b.disabled = !can;
    }
    paintNodes(picture.nodes, snap.steps);
    steps.replaceChildren(
      ...snap.steps.map((r) => {
        const running = r.status === 'running';
        const fraction =
          r.calls > 1 ? (r.done + r.failed) / r.calls : running ? (r.progress?.fraction ?? 0) : r.status === 'succeeded' || r.status === 'failed' ? 1 : 0;
        return el(
          'tr',
          { 'data-node': r.node, 'data-status': r.status },
          el(
            'td',
            {},
            r.name,
            r.calls > 1 ? el('span', { class: 'tag', text: `× ${num(r.calls)}` }) : null,
            r.role !== 'task' ? el('span', { class: 'tag', text: r.role }) : null,
          ),
          el('td', {}, stepBadge(r.status)),
          el('td', { class: 'num', text: `${num(r.done)}/${num(r.started)}${r.failed ? ` · ${num(r.failed)} failed` : ''}` }),
          el('td', { class: 'num', text: r.retries ? num(r.retries) : '' }),
          el('td', { class: 'num', title: absolute(r.firstStartedAt), text: r.firstStartedAt === undefined ? '' : ago(r.firstStartedAt, snap.now) }),
          el('td', {
            class: 'num',
            text: r.firstStartedAt === undefined ? '' : duration((r.lastFinishedAt ?? snap.now) - r.firstStartedAt) + (running ? ' …' : ''),
          }),
          el(
            'td',
            {},
            r.status === 'pending'
              ? ''
              : el(
                  'div',
                  { class: 'progress' },
                  bar(fraction, { failed: r.failed > 0, running }),
                  running && r.progress
                    ? el('span', { class: 'muted', text: `${Math.round(r.progress.fraction * 100)}%${r.progress.message ? ` ${r.progress.message}` : ''}` })
                    : null,
                ),
          ),
          el(
            'td',
            { class: 'err' },
            r.error
              ? el(
                  'details',
                  {},
                  el('summary', { text: `${r.error.errorType}: ${r.error.message}` }),
                  r.error.stack ? el('pre', { text: r.error.stack }) : null,
                )
              : '',
          ),
        );
      }),
    );
    children.replaceChildren(
      ...(snap.children.length === 0
        ? []
        : [
            el(
              'section',
              { class: 'card' },
              el('h2', { text: 'Child pipelines' }),
              el(
                'ul',
                {},
                snap.children.flatMap((c) =>
                  c.ids.map((cid) =>
                    el(
                      'li',
                      {},
                      el('a', { class: 'mono', href: pipelineHref(cid), text: cid }),
                      c.uid >= 0 ? el('span', { class: 'muted', text: ` started by step ${c.uid}` }) : null,
                    ),
                  ),
                ),
              ),
            ),
          ]),
    );
  };
  render(data);

  const events = new EventSource(`/api/pipelines/${encodeURIComponent(id)}/events`);
  events.addEventListener('open', () => live.classList.add('on'));
  events.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
  events.addEventListener('end', () => {
    events.close();
    live.classList.remove('on');
    live.textContent = 'finished';
  });
  events.addEventListener('error', () => live.classList.remove('on'));
}

const page = document.body.dataset.page;
if (page === 'list') listPage();
else if (page === 'pipeline') pipelinePage(document.body.dataset.id);
