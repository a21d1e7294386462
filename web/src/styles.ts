// The widget's styles, adopted by its Shadow root (no <style> in the host document, no
// inline style attributes, so a strict CSP needs nothing). Theme through CSS custom
// properties on :host: the survey sets --nps-accent, and a host page may override any of
// them on [data-opennps]. :host rules are !important so hostile host CSS
// (`* { all: unset }`, huge z-indexes) cannot move or hide the widget.
export const css = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;
inset:auto 16px 16px auto!important;width:min(420px,calc(100vw - 32px))!important;margin:0!important;
padding:0!important;border:0!important;background:none!important;visibility:visible!important;opacity:1!important;
transform:none!important;contain:layout style!important;pointer-events:auto!important;
--nps-bg:#fff;--nps-fg:#1f2328;--nps-muted:#57606a;--nps-border:#d0d7de;--nps-radius:12px;
--nps-font:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
:host([data-pos=bottom-left]){inset:auto auto 16px 16px!important}
:host([data-pos=center]){inset:50% auto auto 50%!important;transform:translate(-50%,-50%)!important}
:host([data-pos=inline]){position:relative!important;inset:auto!important;width:100%!important;max-width:560px!important;z-index:auto!important}
@media (max-width:600px){:host(:not([data-pos=inline])){inset:auto 0 0 0!important;width:100%!important;transform:none!important}
.nps:not(.inline){border-radius:var(--nps-radius) var(--nps-radius) 0 0;border-width:1px 0 0;padding-bottom:max(16px,env(safe-area-inset-bottom))}}
.nps{box-sizing:border-box;font:15px/1.4 var(--nps-font);color:var(--nps-fg);background:var(--nps-bg);
border:1px solid var(--nps-border);border-radius:var(--nps-radius);padding:16px 16px 14px;
box-shadow:0 8px 28px rgba(0,0,0,.18);position:relative;text-align:start}
.nps *,.nps *::before,.nps *::after{box-sizing:border-box}
.dark{--nps-bg:#1c2128;--nps-fg:#e6edf3;--nps-muted:#9da7b3;--nps-border:#3d444d}
@media (prefers-color-scheme:dark){.auto{--nps-bg:#1c2128;--nps-fg:#e6edf3;--nps-muted:#9da7b3;--nps-border:#3d444d}}
.nps:focus{outline:none}
.x{position:absolute;inset-inline-end:8px;top:8px;width:32px;height:32px;border:0;border-radius:8px;background:none;
color:var(--nps-muted);font:20px/1 var(--nps-font);cursor:pointer;display:grid;place-items:center;padding:0}
.x:hover{background:color-mix(in srgb,var(--nps-fg) 8%,transparent)}
.q{display:block;font-weight:600;font-size:16px;margin:0 0 12px;padding:0;padding-inline-end:36px;color:var(--nps-fg)}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend.q{float:inline-start;width:100%}
legend+*{clear:both}
.opts{display:flex;gap:4px}
.opt{position:relative;display:block;cursor:pointer;flex:1 1 0;min-width:0}
.opt input,.ch input{position:absolute;opacity:0;width:1px;height:1px;margin:0;pointer-events:none}
.opt span{display:grid;place-items:center;min-height:40px;border:1px solid var(--nps-border);border-radius:8px;
font-weight:600;font-size:15px;color:var(--nps-fg);background:var(--nps-bg);user-select:none}
.opt:hover span{border-color:var(--nps-accent)}
.opt input:checked+span{background:var(--nps-accent);border-color:var(--nps-accent);color:#fff}
.opt input:focus-visible+span,.ch input:focus-visible+span{outline:3px solid var(--nps-accent);outline-offset:2px}
.cc .detractor span{border-bottom:3px solid #cf222e}.cc .passive span{border-bottom:3px solid #bf8700}
.cc .promoter span{border-bottom:3px solid #1a7f37}
.ends{display:flex;justify-content:space-between;gap:8px;margin-top:6px;font-size:13px;color:var(--nps-muted)}
textarea{display:block;width:100%;min-height:84px;resize:vertical;font:inherit;color:var(--nps-fg);background:var(--nps-bg);
border:1px solid var(--nps-border);border-radius:8px;padding:8px 10px}
textarea:focus{outline:2px solid var(--nps-accent);outline-offset:1px;border-color:var(--nps-accent)}
textarea::placeholder{color:var(--nps-muted);opacity:1}
.hint{font-size:13px;color:var(--nps-muted);margin:-6px 0 8px}
.list{display:grid;gap:6px}
.ch{position:relative;display:block;cursor:pointer}
.ch span{display:block;padding:8px 10px;border:1px solid var(--nps-border);border-radius:8px}
.ch input:checked+span{border-color:var(--nps-accent);box-shadow:inset 0 0 0 1px var(--nps-accent);font-weight:600}
.bar{display:flex;align-items:center;gap:8px;margin-top:14px;flex-wrap:wrap}
.prog{font-size:13px;color:var(--nps-muted);margin-inline-end:auto}
.bar button{font:600 14px/1 var(--nps-font);min-height:36px;padding:0 14px;border-radius:8px;cursor:pointer;
border:1px solid var(--nps-border);background:var(--nps-bg);color:var(--nps-fg)}
.bar button.p{background:var(--nps-accent);border-color:var(--nps-accent);color:#fff}
.bar button:focus-visible,.x:focus-visible,a:focus-visible{outline:3px solid var(--nps-accent);outline-offset:2px}
.bar .sp{margin-inline-end:auto}
a{color:var(--nps-accent);font-weight:600}.dark a{color:#8ab4ff}
.err{color:#cf222e;font-size:13px;margin:8px 0 0}.dark .err{color:#ff8182}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (prefers-reduced-motion:no-preference){:host(:not([data-preview])) .nps{animation:in .18s ease-out}@keyframes in{from{opacity:0;translate:0 8px}}}
`;
