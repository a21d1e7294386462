// The canvas demo page: fetches the survey's config from npsd, hands it to the Wasm app,
// and sends the answers the app reports (POST on the score, PATCH for the follow-up).
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const survey = params.get('survey') || 'demo-app';
  const lang = params.get('lang') || (navigator.languages || ['en'])[0];
  const step = params.get('step') || 'score';
  const status = document.getElementById('status');
  const base = '/v1/surveys/' + encodeURIComponent(survey);
  const sent = [];
  let chain = Promise.resolve(); // one request at a time: a PATCH never overtakes its POST
  window.npsCanvas = { sent: sent, ready: false };

  var Module = window.Module = {
    canvas: document.getElementById('canvas'),
    print: function (t) { console.log(t); },
    printErr: function (t) { console.warn(t); },
    npsSend: function (method, key, body) {
      const url = method === 'POST' ? base + '/responses' : base + '/responses/' + encodeURIComponent(key);
      let payload = body;
      if (method === 'PATCH') {
        const r = JSON.parse(body);
        payload = JSON.stringify({ score: r.score, comment: r.comment === undefined ? null : r.comment,
                                   answers: r.answers || {} });
      }
      const p = chain = chain.then(function () {
        return fetch(url, { method: method, headers: { 'Content-Type': 'application/json' }, body: payload,
                            keepalive: true });
      }).then(function (res) { return res.status; }, function () { return 0; });
      sent.push({ method: method, pending: p });
    },
    onRuntimeInitialized: function () {
      fetch(base + '/config').then(function (r) {
        if (!r.ok) throw new Error('config: HTTP ' + r.status);
        return r.text();
      }).then(function (config) {
        const ok = Module.ccall('nps_demo_set_survey', 'number', ['string', 'string', 'string'], [config, lang, step]);
        status.textContent = ok ? 'survey ' + survey + ' (' + lang + ')' : 'the survey config was not accepted';
        window.npsCanvas.ready = !!ok;
      }).catch(function (e) { status.textContent = String(e); });
    },
  };
})();
