// The stub product teams paste inline (here in a file so the demo runs under a strict CSP):
// calls made before nps.js arrives are queued and replayed.
window.nps = window.nps || function () { (window.nps.q = window.nps.q || []).push(arguments); };
nps('on', 'response', function (r) { console.log('[demo] response', r.score, r.comment || ''); });
document.getElementById('again').addEventListener('click', function () { nps('show', 'demo'); });
document.getElementById('reset').addEventListener('click', function () { nps('reset'); location.reload(); });
