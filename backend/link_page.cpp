// The landing pages of e-mail and link surveys (see link_page.hpp).
#include "link_page.hpp"

#include "nps/email_texts.hpp"
#include "nps/flow.hpp"
#include "nps/i18n.hpp"

#include <algorithm>
#include <sstream>

namespace npsd {

namespace {

using nps::json;
using T = nps::email_texts::Text;

std::string et(const std::string& locale, T t) { return std::string(nps::email_texts::text(locale, t)); }

// JSON inside <script>: no "</" can close the element early.
std::string script_json(const json& j) {
  std::string s = j.dump();
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

constexpr const char* kStyle = R"css(
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--fg:#1b1e24;--muted:#5b6270;--line:#d5d9e0}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--card:#1f2228;--fg:#eceef2;--muted:#a8afbc;--line:#3a3f48}}
[hidden]{display:none!important}*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Hebrew","Noto Sans CJK SC",sans-serif}
main{max-width:40rem;margin:2rem auto;padding:1.5rem;background:var(--card);border-radius:12px;border-top:6px solid var(--accent)}
h1{font-size:1.3rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.scale{display:grid;grid-template-columns:repeat(11,1fr);gap:.3rem}
.scale button{min-height:2.75rem;border:2px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg);font:inherit;font-weight:600;cursor:pointer}
.scale button.detractor{border-bottom-color:#d64545}.scale button.passive{border-bottom-color:#e0a100}.scale button.promoter{border-bottom-color:#2f9e44}
.scale button[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
.scale button:focus-visible,.primary:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.labels{display:flex;justify-content:space-between;color:var(--muted);font-size:.875rem;margin-top:.3rem}
textarea{width:100%;min-height:7rem;padding:.6rem;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg);font:inherit}
.primary{margin-top:.8rem;padding:.6rem 1.4rem;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
.note{color:var(--muted)}label.quote{display:flex;gap:.5rem;align-items:center;margin-top:.6rem}
fieldset{border:0;padding:0;margin:1rem 0 0}legend{font-size:1.1rem;font-weight:600;margin-bottom:.4rem}
.choices label,.rating label{display:flex;gap:.5rem;align-items:center;padding:.5rem .7rem;border:1px solid var(--line);border-radius:8px;margin:.3rem 0;cursor:pointer}
.rating{display:flex;flex-wrap:wrap;gap:.3rem}.rating label{margin:0;min-width:3rem;justify-content:center}
.choices input,.rating input{accent-color:var(--accent);width:1.2rem;height:1.2rem;margin:0}
.choices label:has(input:checked),.rating label:has(input:checked){border-color:var(--accent);outline:1px solid var(--accent)}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.secondary{margin-top:.8rem;padding:.6rem 1.2rem;border:1px solid var(--accent);border-radius:8px;background:transparent;color:var(--accent);font:inherit;cursor:pointer}
.primary:disabled{opacity:.5;cursor:not-allowed}.secondary:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
a{color:var(--accent)}
@media (max-width:30rem){main{margin:0;border-radius:0;padding:1rem}.scale{grid-template-columns:repeat(6,1fr)}}
)css";

// The page's script: records only after a human signal; see link_page.hpp.
constexpr const char* kScript = R"js(
(()=>{const cfg=JSON.parse(document.getElementById('cfg').textContent);
const $=(id)=>document.getElementById(id);const buttons=[...document.querySelectorAll('.scale button')];
let score=cfg.score,recorded=cfg.answered,busy=false,visible=0,seen=false;
const see=()=>{if(seen||!cfg.seen)return;seen=true;fetch(cfg.seen,{method:'POST',headers:{'Content-Type':'application/json'},body:'{}'})};
const status=(t)=>{$('status').textContent=t};
const pick=(s)=>{if(recorded)return;score=s;for(const b of buttons)b.setAttribute('aria-pressed',String(+b.dataset.score===s));
 status(cfg.strict?cfg.t.your_answer.replace('{score}',s)+' '+cfg.t.strict_hint:cfg.t.your_answer.replace('{score}',s));$('send').hidden=!cfg.strict};
const followUp=(cat)=>{const f=cfg.followups[cat];for(const b of buttons)b.disabled=true;$('send').hidden=true;
 if(!f){$('done').hidden=false;$('thanks').textContent=cfg.t.recorded;return}
 $('fuq').textContent=f.question;$('comment').placeholder=f.placeholder;$('fusend').textContent=f.submit;
 $('callback').hidden=cat!=='detractor';$('testimonial').hidden=cat!=='promoter';$('quote').hidden=cat!=='promoter';$('fu').hidden=false};
const record=async(signal)=>{if(recorded||busy||score<0||document.visibilityState!=='visible')return;if(cfg.strict&&signal!=='send'){see();return}
 busy=true;try{const r=await fetch(cfg.post,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({...cfg.extra,score,signal})});
 const j=await r.json();if(r.ok){recorded=true;status(j.duplicate?cfg.t.already:cfg.t.recorded);if(!j.duplicate)followUp(j.category)}}finally{busy=false}};
for(const b of buttons)b.addEventListener('click',(e)=>{if(!e.isTrusted)return;pick(+b.dataset.score);record('interaction')});
const human=(e)=>{if(!e.isTrusted)return;const b=e.target.closest&&e.target.closest('.scale button');if(b)pick(+b.dataset.score);if(!b&&e.target.id!=='send')record('interaction')};
for(const ev of ['pointerdown','keydown','touchstart'])document.addEventListener(ev,human,{capture:true,passive:true});
$('send').addEventListener('click',(e)=>{if(e.isTrusted)record('send')});
if(!navigator.webdriver)setInterval(()=>{if(document.visibilityState==='visible'&&document.hasFocus()){visible+=250;if(visible>=2000)record('visible')}else visible=0},250);
const finish=(ok,j)=>{$('fu').hidden=true;$('qs').hidden=true;$('done').hidden=false;$('thanks').textContent=ok?j.thanks:cfg.t.already;
 if(ok&&j.link){$('review').hidden=false;$('reviewlink').href=j.link.url;$('reviewlink').textContent=j.link.label}};
const el=(tag,attrs,text)=>{const e=document.createElement(tag);for(const k in attrs)e.setAttribute(k,attrs[k]);if(text!=null)e.textContent=text;return e};
const ask=(j)=>{const q=j.question,s=$('qs'),multi=q.type==='multiple';$('fu').hidden=true;s.replaceChildren(el('p',{class:'note'},j.progress));s.hidden=false;let get,first;
 if(q.type==='text'){const a=el('textarea',{maxlength:q.max_length,'aria-labelledby':'qq'});a.placeholder=q.placeholder||'';a.value=q.value||'';s.append(el('h2',{id:'qq'},q.text),a);first=a;get=()=>a.value}
 else{const f=el('fieldset',{}),box=el('div',{class:q.type==='rating'?'rating':'choices'});f.append(el('legend',{},q.text));if(q.hint)f.append(el('p',{class:'note'},q.hint));
  const opts=q.type==='rating'?Array.from({length:q.max-q.min+1},(_,i)=>({id:String(q.min+i),label:String(q.min+i)})):q.options;
  for(const o of opts){const l=el('label',{}),i=el('input',{type:multi?'checkbox':'radio',name:'qv',value:o.id});l.append(i,el('span',{},o.label));box.append(l);first=first||i}
  f.append(box);if(q.type==='rating'&&(q.low_label||q.high_label)){const b=el('div',{class:'labels','aria-hidden':'true'});b.append(el('span',{},q.low_label||''),el('span',{},q.high_label||''));f.append(b)}
  s.append(f);get=()=>{const v=[...f.querySelectorAll('input:checked')].map(i=>i.value);return multi?v:v.length?(q.type==='rating'?+v[0]:v[0]):null}}
 const empty=()=>{const v=get();return v===null||(multi&&!v.length)||(typeof v==='string'&&!v.trim())};
 const go=async(body,b)=>{b.disabled=true;try{const r=await fetch(cfg.post+'/answer',{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({...cfg.extra,question:q.id,...body})});
  const k=await r.json();if(r.ok){if(k.question)ask(k);else finish(true,k)}else b.disabled=false}catch{b.disabled=false}};
 const row=el('div',{class:'actions'});
 if(j.actions.skip){const b=el('button',{type:'button',class:'secondary'},j.actions.skip);b.addEventListener('click',(e)=>{if(e.isTrusted)go({skip:true},b)});row.append(b)}
 const b=el('button',{type:'button',class:'primary'},j.actions.next);b.disabled=q.required&&empty();
 s.addEventListener('input',()=>{b.disabled=q.required&&empty()});s.addEventListener('change',()=>{b.disabled=q.required&&empty()});
 b.addEventListener('click',(e)=>{if(!e.isTrusted)return;if(empty()){if(!q.required)go({skip:true},b)}else go({value:get()},b)});row.append(b);s.append(row);if(first)first.focus()};
$('fusend').addEventListener('click',async(e)=>{if(!e.isTrusted)return;$('fusend').disabled=true;
 const r=await fetch(cfg.post+'/follow-up',{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({...cfg.extra,comment:$('comment').value,quote_ok:$('quoteok').checked})});
 const j=await r.json();if(r.ok&&j.question)ask(j);else finish(r.ok,j)});
if(score>=0&&!recorded)pick(score);})();
)js";

std::string head(const std::string& locale, const std::string& title, const std::string& accent,
                 const std::string& nonce) {
  std::ostringstream o;
  o << "<!doctype html><html lang=\"" << html_escape(locale) << "\" dir=\""
    << nps::i18n::to_string(nps::i18n::direction(locale)) << "\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    << "<meta name=\"robots\" content=\"noindex,nofollow\"><meta name=\"color-scheme\" content=\"light "
       "dark\">"
    << "<title>" << html_escape(title) << "</title><style nonce=\"" << nonce
    << "\">:root{--accent:" << html_escape(accent) << "}" << kStyle << "</style></head><body>";
  return o.str();
}

} // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string landing_csp(const std::string& nonce) {
  return "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce +
         "'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

std::vector<std::string> accept_languages(const std::string& header) {
  std::vector<std::pair<double, std::string>> tags;
  std::istringstream in(header);
  std::string item;
  while (std::getline(in, item, ',') && tags.size() < 10) {
    const auto semi = item.find(';');
    std::string tag = item.substr(0, semi);
    tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
    double q = 1;
    if (semi != std::string::npos) {
      const auto qpos = item.find("q=", semi);
      if (qpos != std::string::npos) q = std::atof(item.c_str() + qpos + 2);
    }
    if (!tag.empty() && tag != "*" && q > 0) tags.emplace_back(q, tag);
  }
  std::stable_sort(tags.begin(), tags.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [q, t] : tags)
    out.push_back(t);
  return out;
}

std::string render_landing(const LandingPage& p) {
  const nps::Survey& s = *p.survey;
  nps::FlowStart start;
  start.idempotency_key = "landing-page-view";
  start.languages = p.languages;
  start.channel = nps::Channel::email;
  auto st = nps::start_flow(s, start);
  nps::FlowState state = st ? *st : nps::FlowState{};
  const json v = nps::view(s, state);
  const std::string locale = v.value("locale", std::string("en"));
  const json& sv = v["score"];

  json followups = json::object();
  for (int rep : {0, 7, 9}) {
    auto t = nps::apply(s, state, {nps::EventType::choose_score, json(rep)});
    json entry = nullptr;
    if (t) {
      const json fv = nps::view(s, t->state);
      if (fv.contains("followup")) {
        std::string submit = std::string(nps::i18n::builtin(locale, nps::i18n::Text::submit));
        entry = {{"question", fv["followup"]["question"]},
                 {"placeholder", fv["followup"]["placeholder"]},
                 {"submit", submit}};
      }
    }
    followups[std::string(nps::to_string(nps::classify(*nps::Score::from_int(rep))))] = entry;
  }
  json cfg = {{"post", p.post_url},
              {"seen", p.seen_url.empty() ? json(nullptr) : json(p.seen_url)},
              {"extra", p.extra},
              {"score", p.answered ? -1 : p.score},
              {"strict", p.strict},
              {"answered", p.answered},
              {"followups", followups},
              {"t",
               {{"your_answer", et(locale, T::your_answer)},
                {"strict_hint", et(locale, T::strict_hint)},
                {"recorded", et(locale, T::recorded)},
                {"already", et(locale, T::already_answered)}}}};

  std::ostringstream o;
  o << head(locale, et(locale, T::page_title), s.theme.accent, p.nonce);
  o << "<main>";
  o << "<h1 id=\"q\">" << html_escape(sv.value("question", "")) << "</h1>";
  o << "<div class=\"scale\" role=\"group\" aria-labelledby=\"q\">";
  for (const auto& opt : sv["options"]) {
    const int value = opt["value"].get<int>();
    const bool chosen = p.answered ? value == p.answered_score : value == p.score;
    o << "<button type=\"button\" class=\"" << opt["category"].get<std::string>() << "\" data-score=\""
      << value << "\" aria-pressed=\"" << (chosen ? "true" : "false") << "\" aria-label=\""
      << html_escape(opt["aria_label"].get<std::string>()) << "\"" << (p.answered ? " disabled" : "") << ">"
      << value << "</button>";
  }
  o << "</div><div class=\"labels\" aria-hidden=\"true\"><span>" << html_escape(sv.value("low_label", ""))
    << "</span><span>" << html_escape(sv.value("high_label", "")) << "</span></div>";
  std::string status;
  if (p.answered)
    status = et(locale, T::already_answered);
  else if (p.score >= 0)
    status = nps::i18n::format(et(locale, T::your_answer), {{"score", std::to_string(p.score)}}) + " " +
             et(locale, p.strict ? T::strict_hint : T::change_hint);
  o << "<p id=\"status\" role=\"status\" aria-live=\"polite\">" << html_escape(status) << "</p>";
  o << "<button type=\"button\" id=\"send\" class=\"primary\"" << (p.strict && !p.answered ? "" : " hidden")
    << ">" << html_escape(nps::i18n::builtin(locale, nps::i18n::Text::submit)) << "</button>";
  o << "<section id=\"fu\" hidden><h2 id=\"fuq\"></h2>"
    << "<p id=\"callback\" class=\"note\" hidden>" << html_escape(et(locale, T::detractor_callback)) << "</p>"
    << "<p id=\"testimonial\" class=\"note\" hidden>" << html_escape(et(locale, T::promoter_testimonial))
    << "</p><textarea id=\"comment\" aria-labelledby=\"fuq\" maxlength=\"5000\"></textarea>"
    << "<label class=\"quote\" id=\"quote\" hidden><input type=\"checkbox\" id=\"quoteok\"> "
    << html_escape(et(locale, T::quote_permission)) << "</label>"
    << "<button type=\"button\" id=\"fusend\" class=\"primary\"></button></section>"
    << "<section id=\"qs\" hidden></section>";
  o << "<section id=\"done\" hidden><p id=\"thanks\" role=\"status\"></p><p id=\"review\" hidden>"
    << html_escape(et(locale, T::review_invite))
    << " <a id=\"reviewlink\" rel=\"noopener\"></a></p></section>";
  o << "</main><script type=\"application/json\" id=\"cfg\" nonce=\"" << p.nonce << "\">" << script_json(cfg)
    << "</script><script nonce=\"" << p.nonce << "\">" << kScript << "</script></body></html>";
  return o.str();
}

std::string render_notice(const std::string& locale, const std::string& title, const std::string& body,
                          const std::string& accent, const std::string& nonce) {
  std::string o = head(locale, title, accent, nonce);
  o += "<main><h1>" + html_escape(title) + "</h1><p>" + html_escape(body) + "</p></main></body></html>";
  return o;
}

} // namespace npsd
