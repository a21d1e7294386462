#include "nps/eligibility.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using nps::Decision;
using nps::json;
using nps::Verdict;

namespace {

constexpr std::int64_t day = 86'400'000;
constexpr std::int64_t now = 1763876356000; // 2025-11-23

// A survey that shows to everyone on page load, with no throttling at all.
nps::Survey open_survey() {
  nps::Survey s;
  s.id = "nps1";
  s.name = "Quarterly NPS";
  s.sampling.percent = 100;
  s.sampling.min_user_age_days = 0;
  s.sampling.resurvey_after_answer_days = 0;
  s.sampling.resurvey_after_dismiss_days = 0;
  s.sampling.global_cooldown_days = 0;
  return s;
}

nps::VisitorState visitor() {
  nps::VisitorState v;
  v.visitor_id = "v1";
  v.first_seen = now - 400 * day;
  v.page_views = 1;
  return v;
}

nps::PageContext page(std::string url = "https://shop.example/cart") {
  nps::PageContext p;
  p.url = std::move(url);
  p.now = now;
  return p;
}

nps::UrlRule url_rule(nps::UrlMatch m, std::string pattern, bool exclude = false) {
  nps::UrlRule r;
  r.match = m;
  r.pattern = std::move(pattern);
  r.exclude = exclude;
  return r;
}

nps::AttributeRule attr(std::string key, nps::AttributeOp op, json value) {
  nps::AttributeRule r;
  r.key = std::move(key);
  r.op = op;
  r.value = std::move(value);
  return r;
}

// A visitor id that the survey "nps1" samples out at `percent`, found by search.
std::string unsampled_id(double percent) {
  for (int i = 0;; ++i) {
    std::string id = "v" + std::to_string(i);
    if (!nps::in_sample(percent, id, "nps1")) return id;
  }
}

} // namespace

TEST_CASE("eligibility: an open survey shows on page load", "[core][eligibility]") {
  const Decision d = nps::decide(open_survey(), visitor(), page());
  CHECK(d.verdict == Verdict::show);
  CHECK(d.code == "eligible");
  CHECK(d.reason == "eligible; shown on page load");
  CHECK(d.params == json::object());
  CHECK_FALSE(d.wait_for.has_value());
}

TEST_CASE("eligibility: forced skips every other rule", "[core][eligibility]") {
  auto s = open_survey();
  s.targeting.urls = {url_rule(nps::UrlMatch::contains, "/cart", true)};
  s.targeting.devices = {"mobile"};
  s.targeting.attributes = {attr("plan", nps::AttributeOp::equals, "pro")};
  s.targeting.trigger.type = nps::TriggerType::exit_intent;
  s.sampling.percent = 0;
  s.sampling.min_user_age_days = 30;
  auto v = visitor();
  v.first_seen = now;
  v.surveys["nps1"].last_answered = now;
  auto p = page();
  p.forced = true;
  const Decision d = nps::decide(s, v, p);
  CHECK(d.verdict == Verdict::show);
  CHECK(d.code == "forced");
  CHECK(d.reason == "shown on request (nps('show')): targeting and throttling skipped");
}

TEST_CASE("eligibility: URL rules, exclude wins, includes need one match", "[core][eligibility]") {
  using M = nps::UrlMatch;
  auto s = open_survey();

  SECTION("no rules: every page") {
    CHECK(nps::decide(s, visitor(), page("anything")).verdict == Verdict::show);
    CHECK(nps::decide(s, visitor(), page("")).verdict == Verdict::show);
  }
  SECTION("only include rules") {
    s.targeting.urls = {url_rule(M::contains, "/pricing"),
                        url_rule(M::starts_with, "https://shop.example/c")};
    CHECK(nps::decide(s, visitor(), page("https://shop.example/cart")).verdict == Verdict::show);
    CHECK(nps::decide(s, visitor(), page("https://shop.example/pricing")).verdict == Verdict::show);
    const Decision d = nps::decide(s, visitor(), page("https://shop.example/about"));
    CHECK(d.verdict == Verdict::no);
    CHECK(d.code == "url_not_included");
    CHECK(d.reason == "this page is not targeted: its URL matches none of the survey's page rules "
                      "(contains \"/pricing\"; starts with \"https://shop.example/c\")");
    CHECK(d.params == json{{"include_rules", 2}});
  }
  SECTION("an exclude rule wins over a matching include") {
    s.targeting.urls = {url_rule(M::contains, "shop.example"), url_rule(M::glob, "*/admin/*", true)};
    CHECK(nps::decide(s, visitor(), page("https://shop.example/cart")).verdict == Verdict::show);
    const Decision d = nps::decide(s, visitor(), page("https://shop.example/admin/users"));
    CHECK(d.code == "url_excluded");
    CHECK(d.reason == "this page is excluded: its URL matches \"*/admin/*\"");
    CHECK(d.params == json{{"match", "glob"}, {"pattern", "*/admin/*"}});
  }
  SECTION("only exclude rules: every other page") {
    s.targeting.urls = {url_rule(M::ends_with, "/checkout", true)};
    CHECK(nps::decide(s, visitor(), page("https://shop.example/cart")).verdict == Verdict::show);
    CHECK(nps::decide(s, visitor(), page("https://shop.example/checkout")).code == "url_excluded");
  }
}

TEST_CASE("eligibility: URL match kinds", "[core][eligibility]") {
  using M = nps::UrlMatch;
  const std::string u = "https://shop.example/cart?step=2#top";
  CHECK(nps::url_matches(M::exact, u, u));
  CHECK_FALSE(nps::url_matches(M::exact, "https://shop.example/cart", u)); // the whole string
  CHECK(nps::url_matches(M::contains, "/cart", u));
  CHECK(nps::url_matches(M::contains, "", u));
  CHECK_FALSE(nps::url_matches(M::contains, "/basket", u));
  CHECK(nps::url_matches(M::starts_with, "https://shop.example/", u));
  CHECK_FALSE(nps::url_matches(M::starts_with, "http://shop.example/", u));
  CHECK(nps::url_matches(M::ends_with, "#top", u));
  CHECK_FALSE(nps::url_matches(M::ends_with, "/cart", u));
  CHECK_FALSE(nps::url_matches(M::contains, "a very long pattern longer than the url itself", "short"));
  CHECK_FALSE(nps::url_matches(M::ends_with, "longer", "long"));
}

TEST_CASE("eligibility: URL hosts are case-insensitive, paths are not", "[core][eligibility]") {
  using M = nps::UrlMatch;
  CHECK(nps::url_matches(M::exact, "https://shop.example/Cart", "HTTPS://Shop.EXAMPLE/Cart"));
  CHECK(nps::url_matches(M::starts_with, "https://SHOP.example/", "https://shop.Example/cart"));
  CHECK(nps::url_matches(M::glob, "https://*.Example.com/*", "https://WWW.example.COM/x"));
  CHECK_FALSE(nps::url_matches(M::exact, "https://shop.example/cart", "https://shop.example/Cart"));
  CHECK_FALSE(nps::url_matches(M::contains, "/Cart", "https://shop.example/cart"));
  // The host ends at the path, the query or the fragment: these stay case-sensitive.
  CHECK_FALSE(nps::url_matches(M::ends_with, "?Q=1", "https://shop.example?q=1"));
  CHECK_FALSE(nps::url_matches(M::ends_with, "#Top", "https://shop.example#top"));
  // A pattern without a scheme is compared as written against the lowercased host.
  CHECK(nps::url_matches(M::contains, "shop.example/cart", "https://SHOP.example/cart"));
  CHECK_FALSE(nps::url_matches(M::contains, "Shop.example/cart", "https://shop.example/cart"));
  // Not a URL: nothing is folded.
  CHECK_FALSE(nps::url_matches(M::exact, "ABC", "abc"));
}

TEST_CASE("eligibility: URL glob edge cases", "[core][eligibility]") {
  using M = nps::UrlMatch;
  const auto g = [](std::string_view p, std::string_view u) { return nps::url_matches(M::glob, p, u); };
  CHECK(g("", ""));
  CHECK_FALSE(g("", "a"));
  CHECK(g("*", ""));
  CHECK(g("*", "https://anything/at/all?x#y"));
  CHECK(g("**", "abc"));
  CHECK_FALSE(g("?", ""));
  CHECK(g("?", "a"));
  CHECK_FALSE(g("?", "ab"));
  CHECK(g("??", "ab"));
  CHECK(g("a*", "a"));
  CHECK(g("*a", "a"));
  CHECK_FALSE(g("a*", "ba"));
  CHECK_FALSE(g("*a", "ab"));
  CHECK(g("a*b*c", "aXbYc"));
  CHECK(g("a*b*c", "abc"));
  CHECK(g("a*b*c", "abbbcbc"));
  CHECK_FALSE(g("a*b*c", "abcb"));
  CHECK(g("*/cart", "https://shop.example/cart"));
  CHECK_FALSE(g("*/cart", "https://shop.example/cart/"));
  CHECK(g("https://shop.example/*/checkout", "https://shop.example/a/b/checkout")); // * crosses '/'
  CHECK(g("https://shop.example/?", "https://shop.example/x"));
  CHECK(g("https://shop.example/p?id=*", "https://shop.example/p?id=7")); // '?' is one character
  CHECK(g("https://shop.example/p?id=*", "https://shop.example/pXid=7"));
  CHECK(g("*/caf?", "https://shop.example/caf\xC3\xA9")); // '?' is one UTF-8 character
  CHECK_FALSE(g("*/caf??", "https://shop.example/caf\xC3\xA9"));
  CHECK(g("*\xC3\xA9*", "https://shop.example/caf\xC3\xA9/x")); // literal UTF-8
  CHECK(g("*?*", "\xE4\xB8\xAD"));
  CHECK(g("*a*a*a*a*a*a*b", std::string(200, 'a') + "b"));
  CHECK_FALSE(g("*a*a*a*a*a*a*b", std::string(2000, 'a'))); // no blow-up
}

TEST_CASE("eligibility: devices", "[core][eligibility]") {
  auto s = open_survey();
  auto p = page();
  CHECK(nps::decide(s, visitor(), p).verdict == Verdict::show); // none listed: all
  s.targeting.devices = {"mobile", "tablet"};
  const Decision d = nps::decide(s, visitor(), p);
  CHECK(d.code == "device");
  CHECK(d.reason == "shown on mobile, tablet only; this visitor is on desktop");
  CHECK(d.params == json{{"device", "desktop"}, {"devices", {"mobile", "tablet"}}});
  p.device = "tablet";
  CHECK(nps::decide(s, visitor(), p).verdict == Verdict::show);
}

TEST_CASE("eligibility: attribute rules need an identified visitor", "[core][eligibility]") {
  using O = nps::AttributeOp;
  auto s = open_survey();
  s.targeting.attributes = {attr("plan", O::equals, "pro"), attr("seats", O::greater, 10)};
  auto v = visitor();
  v.attributes = {{"plan", "pro"}, {"seats", 12}};
  const Decision d = nps::decide(s, v, page());
  CHECK(d.code == "attribute");
  CHECK(d.reason == "targets identified users with plan = pro and seats > 10; this visitor is anonymous");
  CHECK(d.params == json{{"key", "plan"}, {"op", "equals"}, {"value", "pro"}, {"identified", false}});
  v.identified = true;
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);
}

TEST_CASE("eligibility: attribute operators", "[core][eligibility]") {
  using O = nps::AttributeOp;
  auto v = visitor();
  v.identified = true;
  v.attributes = {{"plan", "pro"},  {"seats", 12},         {"seats_text", " 12 "},      {"ratio", 0.5},
                  {"trial", false}, {"tags", {"beta", 3}}, {"email", "ana@example.com"}};
  const auto holds = [&](nps::AttributeRule r) {
    auto s = open_survey();
    s.targeting.attributes = {std::move(r)};
    return nps::decide(s, v, page()).verdict == Verdict::show;
  };
  CHECK(holds(attr("plan", O::equals, "pro")));
  CHECK_FALSE(holds(attr("plan", O::equals, "Pro")));
  CHECK(holds(attr("seats", O::equals, 12.0))); // numbers numerically
  CHECK(holds(attr("seats_text", O::equals, 12)));
  CHECK(holds(attr("ratio", O::equals, 0.5)));
  CHECK(holds(attr("trial", O::equals, false)));
  CHECK_FALSE(holds(attr("trial", O::equals, "false")));
  CHECK(holds(attr("plan", O::not_equals, "free")));
  CHECK_FALSE(holds(attr("seats", O::not_equals, 12)));
  CHECK(holds(attr("missing", O::not_equals, "x"))); // a missing attribute is not equal
  CHECK_FALSE(holds(attr("missing", O::equals, "x")));
  CHECK_FALSE(holds(attr("missing", O::greater, 1)));
  CHECK_FALSE(holds(attr("missing", O::contains, "x")));
  CHECK(holds(attr("seats", O::greater, 10)));
  CHECK_FALSE(holds(attr("seats", O::greater, 12)));
  CHECK(holds(attr("seats", O::less, 12.5)));
  CHECK(holds(attr("seats_text", O::greater, 11))); // a numeric string is a number
  CHECK_FALSE(holds(attr("plan", O::greater, 1)));  // not a number
  CHECK_FALSE(holds(attr("trial", O::less, 1)));
  CHECK(holds(attr("email", O::contains, "@example.")));
  CHECK_FALSE(holds(attr("email", O::contains, "@Example.")));
  CHECK(holds(attr("tags", O::contains, "beta")));
  CHECK(holds(attr("tags", O::contains, 3.0)));
  CHECK_FALSE(holds(attr("tags", O::contains, "bet")));
  CHECK_FALSE(holds(attr("seats", O::contains, 1)));

  auto s = open_survey();
  s.targeting.attributes = {attr("plan", O::equals, "pro"), attr("seats", O::greater, 100)};
  Decision d = nps::decide(s, v, page());
  CHECK(d.code == "attribute");
  CHECK(d.reason == "targets users with seats > 100; this visitor has seats = 12");
  CHECK(d.params == json{{"key", "seats"}, {"op", "greater"}, {"value", 100}, {"actual", 12}});
  s.targeting.attributes = {attr("company", O::equals, "Acme")};
  d = nps::decide(s, v, page());
  CHECK(d.reason == "targets users with company = Acme; this visitor has no company");
  CHECK(d.params["actual"].is_null());
}

TEST_CASE("eligibility: minimum user age", "[core][eligibility]") {
  auto s = open_survey();
  s.sampling.min_user_age_days = 30;
  auto v = visitor();
  v.first_seen = now - 3 * day - 5;
  Decision d = nps::decide(s, v, page());
  CHECK(d.code == "too_new");
  CHECK(d.reason == "first seen 3 days ago; survey waits until 30 days");
  CHECK(d.params == json{{"days_ago", 3}, {"after_days", 30}});
  v.first_seen.reset(); // never seen: seen now
  d = nps::decide(s, v, page());
  CHECK(d.reason == "first seen today; survey waits until 30 days");
  CHECK(d.params["days_ago"] == 0);
  v.first_seen = now - 30 * day + 1; // 29.99… days: floor is 29
  CHECK(nps::decide(s, v, page()).params["days_ago"] == 29);
  v.first_seen = now - 30 * day;
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);
  v.first_seen = now + day; // a clock ahead of ours: 0 days
  CHECK(nps::decide(s, v, page()).params["days_ago"] == 0);
}

TEST_CASE("eligibility: dismissed and answered recently", "[core][eligibility]") {
  auto s = open_survey();
  s.sampling.resurvey_after_dismiss_days = 30;
  s.sampling.resurvey_after_answer_days = 90;
  auto v = visitor();
  v.surveys["other"].last_answered = now; // another survey's history does not count
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);

  v.surveys["nps1"].last_dismissed = now - day;
  v.surveys["nps1"].last_answered = now - 12 * day;
  Decision d = nps::decide(s, v, page());
  CHECK(d.code == "dismissed_recently");
  CHECK(d.reason == "dismissed 1 day ago; resurvey after 30 days");
  CHECK(d.params == json{{"days_ago", 1}, {"after_days", 30}});

  v.surveys["nps1"].last_dismissed = now - 30 * day;
  d = nps::decide(s, v, page());
  CHECK(d.code == "answered_recently");
  CHECK(d.reason == "answered 12 days ago; resurvey after 90 days");
  CHECK(d.params == json{{"days_ago", 12}, {"after_days", 90}});

  v.surveys["nps1"].last_answered = now - 90 * day;
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);
}

TEST_CASE("eligibility: transactional surveys apply the answer rule, 0 asks every time",
          "[core][eligibility]") {
  auto s = open_survey();
  s.kind = nps::SurveyKind::transactional;
  s.sampling.resurvey_after_answer_days = 7;
  auto v = visitor();
  v.surveys["nps1"].last_answered = now - 2 * day;
  CHECK(nps::decide(s, v, page()).code == "answered_recently");
  s.sampling.resurvey_after_answer_days = 0;
  v.surveys["nps1"].last_answered = now;
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);
}

TEST_CASE("eligibility: the global cooldown applies only when the survey opts in", "[core][eligibility]") {
  auto s = open_survey();
  auto v = visitor();
  v.last_survey_shown = now - 2 * day;                       // an unrelated survey was shown
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show); // global_cooldown_days = 0
  s.sampling.global_cooldown_days = 7;
  const Decision d = nps::decide(s, v, page());
  CHECK(d.code == "global_cooldown");
  CHECK(d.reason == "a survey was shown 2 days ago; this survey waits after any survey for 7 days");
  CHECK(d.params == json{{"days_ago", 2}, {"after_days", 7}});
  v.last_survey_shown = now - 7 * day;
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);
}

TEST_CASE("eligibility: sampling buckets are FNV-1a of survey:visitor", "[core][eligibility]") {
  // Expected values computed independently (Python) from the FNV-1a 64-bit definition.
  CHECK(nps::sample_bucket("v1", "nps1") == 5602);
  CHECK(nps::sample_bucket("visitor-42", "nps1") == 8272);
  CHECK(nps::sample_bucket("anon-7f3a", "q-nps") == 904);
  CHECK(nps::sample_bucket("v1", "checkout") == 7972);
  CHECK(nps::sample_bucket("\xC3\xBC", "nps1") == 812);
  CHECK(nps::in_sample(56.03, "v1", "nps1"));
  CHECK_FALSE(nps::in_sample(56.02, "v1", "nps1"));
  CHECK(nps::in_sample(100, "v1", "nps1"));
  CHECK(nps::in_sample(250, "v1", "nps1"));
  CHECK_FALSE(nps::in_sample(0, "v1", "nps1"));
  CHECK_FALSE(nps::in_sample(-5, "v1", "nps1"));
  CHECK_FALSE(nps::in_sample(std::nan(""), "v1", "nps1"));
}

TEST_CASE("eligibility: not sampled, with the bucket in the reason", "[core][eligibility]") {
  auto s = open_survey();
  s.sampling.percent = 25;
  auto v = visitor();
  v.visitor_id = "v1"; // bucket 5602
  Decision d = nps::decide(s, v, page());
  CHECK(d.code == "not_sampled");
  CHECK(d.reason == "not in the 25% sample (bucket 5602)");
  CHECK(d.params == json{{"percent", 25}, {"bucket", 5602}});
  s.sampling.percent = 12.5;
  d = nps::decide(s, v, page());
  CHECK(d.reason == "not in the 12.5% sample (bucket 5602)");
  CHECK(d.params == json{{"percent", 12.5}, {"bucket", 5602}});
  s.sampling.percent = 0.01;
  CHECK(nps::decide(s, v, page()).reason == "not in the 0.01% sample (bucket 5602)");
  s.sampling.percent = 57;
  CHECK(nps::decide(s, v, page()).verdict == Verdict::show);
}

TEST_CASE("eligibility: sampling shows to N% of visitors, stably and independently per survey",
          "[core][eligibility][property]") {
  constexpr int visitors = 100'000;
  for (double percent : {1.0, 10.0, 25.0, 50.0, 90.0}) {
    int shown = 0;
    for (int i = 0; i < visitors; ++i)
      if (nps::in_sample(percent, "visitor-" + std::to_string(i), "nps1")) ++shown;
    const double share = 100.0 * shown / visitors;
    INFO("percent " << percent << ": shown to " << share << "%");
    CHECK(share >= percent - 1.0);
    CHECK(share <= percent + 1.0);
  }
  // The same visitor always gets the same answer.
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "anon-" + std::to_string(i * 7919);
    const bool first = nps::in_sample(25, id, "nps1");
    for (int k = 0; k < 3; ++k)
      CHECK(nps::in_sample(25, id, "nps1") == first);
    CHECK(nps::sample_bucket(id, "nps1") == nps::sample_bucket(id, "nps1"));
  }
  // Two surveys at 50%: being in one sample says nothing about the other (~25% in both),
  // and the buckets are not the same.
  int both = 0, same_bucket = 0;
  for (int i = 0; i < visitors; ++i) {
    const std::string id = "visitor-" + std::to_string(i);
    if (nps::in_sample(50, id, "nps1") && nps::in_sample(50, id, "onboarding")) ++both;
    if (nps::sample_bucket(id, "nps1") == nps::sample_bucket(id, "onboarding")) ++same_bucket;
  }
  const double both_share = 100.0 * both / visitors;
  INFO("in both 50% samples: " << both_share << "%");
  CHECK(both_share >= 24.0);
  CHECK(both_share <= 26.0);
  CHECK(same_bucket < 100); // ~10 expected by chance
  // Growing the percentage only adds visitors: everyone in the 10% sample is in the 25% one.
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = "visitor-" + std::to_string(i);
    if (nps::in_sample(10, id, "nps1")) CHECK(nps::in_sample(25, id, "nps1"));
  }
}

TEST_CASE("eligibility: triggers", "[core][eligibility]") {
  auto s = open_survey();
  auto v = visitor();
  auto& t = s.targeting.trigger;

  SECTION("page load with a delay waits") {
    t.type = nps::TriggerType::page_load;
    t.delay_seconds = 5;
    const Decision d = nps::decide(s, v, page());
    CHECK(d.verdict == Verdict::wait);
    CHECK(d.code == "trigger_wait");
    CHECK(d.reason == "show after 5 s on the page");
    CHECK(d.params == json{{"delay_seconds", 5}});
    REQUIRE(d.wait_for.has_value());
    CHECK(*d.wait_for == t);
    CHECK(nps::to_json(d)["wait_for"] == json{{"type", "page_load"}, {"delay_seconds", 5}});
  }
  SECTION("scroll waits") {
    t.type = nps::TriggerType::scroll;
    t.scroll_percent = 50;
    const Decision d = nps::decide(s, v, page());
    CHECK(d.verdict == Verdict::wait);
    CHECK(d.reason == "show after scrolling 50%");
    CHECK(d.params == json{{"scroll_percent", 50}});
    CHECK(nps::to_json(d) == json{{"verdict", "wait"},
                                  {"code", "trigger_wait"},
                                  {"reason", "show after scrolling 50%"},
                                  {"params", {{"scroll_percent", 50}}},
                                  {"wait_for", {{"type", "scroll"}, {"scroll_percent", 50}}}});
  }
  SECTION("exit intent waits") {
    t.type = nps::TriggerType::exit_intent;
    const Decision d = nps::decide(s, v, page());
    CHECK(d.verdict == Verdict::wait);
    CHECK(d.reason == "show on exit intent");
    CHECK(nps::to_json(d)["wait_for"] == json{{"type", "exit_intent"}});
  }
  SECTION("event: shows once it happened often enough") {
    t.type = nps::TriggerType::event;
    t.event = "checkout_completed";
    t.count = 2;
    Decision d = nps::decide(s, v, page());
    CHECK(d.verdict == Verdict::no);
    CHECK(d.code == "event_count");
    CHECK(d.reason == "waiting for checkout_completed: seen 0 of 2 times");
    v.event_counts["checkout_completed"] = 1;
    d = nps::decide(s, v, page());
    CHECK(d.reason == "waiting for checkout_completed: seen 1 of 2 times");
    CHECK(d.params == json{{"event", "checkout_completed"}, {"seen", 1}, {"count", 2}});
    CHECK_FALSE(nps::to_json(d).contains("wait_for"));
    v.event_counts["checkout_completed"] = 2;
    d = nps::decide(s, v, page());
    CHECK(d.verdict == Verdict::show);
    CHECK(d.code == "eligible");
    CHECK(d.reason == "eligible; checkout_completed seen 2 of 2 times");
  }
  SECTION("page views") {
    t.type = nps::TriggerType::page_views;
    t.count = 3;
    v.page_views = 2;
    Decision d = nps::decide(s, v, page());
    CHECK(d.code == "page_views");
    CHECK(d.reason == "page view 2 of 3");
    CHECK(d.params == json{{"page_views", 2}, {"count", 3}});
    v.page_views = 3;
    d = nps::decide(s, v, page());
    CHECK(d.verdict == Verdict::show);
    CHECK(d.reason == "eligible; page view 3 of 3");
  }
}

TEST_CASE("eligibility: the first failing rule is the one reported", "[core][eligibility]") {
  using O = nps::AttributeOp;
  auto s = open_survey();
  s.targeting.urls = {url_rule(nps::UrlMatch::contains, "/pricing")};
  s.targeting.devices = {"mobile"};
  s.targeting.attributes = {attr("plan", O::equals, "pro")};
  s.targeting.trigger.type = nps::TriggerType::scroll;
  s.targeting.trigger.scroll_percent = 50;
  s.sampling.min_user_age_days = 30;
  s.sampling.resurvey_after_dismiss_days = 30;
  s.sampling.resurvey_after_answer_days = 90;
  s.sampling.global_cooldown_days = 7;
  s.sampling.percent = 10;

  auto v = visitor();
  v.visitor_id = unsampled_id(10);
  v.first_seen = now - day;
  v.surveys["nps1"] = {now - day, now - day, now - day};
  v.last_survey_shown = now - day;
  auto p = page("https://shop.example/cart");

  std::vector<std::string> codes;
  codes.push_back(nps::decide(s, v, p).code);
  p.url = "https://shop.example/pricing";
  codes.push_back(nps::decide(s, v, p).code);
  p.device = "mobile";
  codes.push_back(nps::decide(s, v, p).code);
  v.identified = true;
  v.attributes = {{"plan", "pro"}};
  codes.push_back(nps::decide(s, v, p).code);
  v.first_seen = now - 100 * day;
  codes.push_back(nps::decide(s, v, p).code);
  v.surveys["nps1"].last_dismissed = now - 100 * day;
  codes.push_back(nps::decide(s, v, p).code);
  v.surveys["nps1"].last_answered = now - 100 * day;
  codes.push_back(nps::decide(s, v, p).code);
  v.last_survey_shown = now - 100 * day;
  codes.push_back(nps::decide(s, v, p).code);
  s.sampling.percent = 100;
  codes.push_back(nps::decide(s, v, p).code);
  s.targeting.trigger.type = nps::TriggerType::page_load;
  codes.push_back(nps::decide(s, v, p).code);
  CHECK(codes == std::vector<std::string>{"url_not_included", "device", "attribute", "too_new",
                                          "dismissed_recently", "answered_recently", "global_cooldown",
                                          "not_sampled", "trigger_wait", "eligible"});
}

TEST_CASE("eligibility: visitor JSON", "[core][eligibility]") {
  const json j = {{"visitor_id", "v1"},
                  {"identified", true},
                  {"first_seen", 1763000000000},
                  {"surveys", {{"nps1", {{"last_shown", 1763000000001}, {"last_answered", nullptr}}}}},
                  {"last_survey_shown", 1763000000002.0},
                  {"event_counts", {{"checkout_completed", 2}}},
                  {"page_views", 3},
                  {"attributes", {{"plan", "pro"}, {"tags", {"a", 1}}, {"gone", nullptr}}}};
  auto v = nps::parse_visitor(j);
  REQUIRE(v.ok());
  CHECK(v->visitor_id == "v1");
  CHECK(v->identified);
  CHECK(v->first_seen == 1763000000000);
  CHECK(v->surveys.at("nps1").last_shown == 1763000000001);
  CHECK_FALSE(v->surveys.at("nps1").last_answered.has_value());
  CHECK(v->last_survey_shown == 1763000000002);
  CHECK(v->event_counts.at("checkout_completed") == 2);
  CHECK(v->page_views == 3);
  CHECK(v->attributes == json{{"plan", "pro"}, {"tags", {"a", 1}}});

  auto minimal = nps::parse_visitor(json{{"visitor_id", "anon"}});
  REQUIRE(minimal.ok());
  CHECK_FALSE(minimal->identified);
  CHECK(minimal->page_views == 0);
}

TEST_CASE("eligibility: visitor JSON errors name their paths", "[core][eligibility]") {
  const json j = {{"identified", "yes"},
                  {"first_seen", -1},
                  {"surveys", {{"nps1", {{"last_shown", "yesterday"}, {"last_answred", 1}}}}},
                  {"last_survey_shown", 1.5},
                  {"event_counts", {{"signup", -2}}},
                  {"page_views", "3"},
                  {"attributes", {{"nested", {{"a", 1}}}}},
                  {"visitorid", "typo"}};
  auto v = nps::parse_visitor(j);
  REQUIRE_FALSE(v.ok());
  std::vector<std::string> paths;
  for (const auto& e : v.errors())
    paths.push_back(e.path);
  CHECK_THAT(paths, Catch::Matchers::UnorderedEquals(std::vector<std::string>{
                        "identified", "first_seen", "surveys.nps1.last_shown", "surveys.nps1.last_answred",
                        "last_survey_shown", "event_counts.signup", "page_views", "attributes.nested",
                        "visitorid", "visitor_id"}));
  CHECK(nps::parse_visitor(json{{"visitor_id", ""}}).error().code == nps::ErrorCode::empty);
  CHECK(nps::parse_visitor(json::array()).error().code == nps::ErrorCode::invalid_type);
}

TEST_CASE("eligibility: page JSON", "[core][eligibility]") {
  auto p = nps::parse_page(json{{"url", "https://shop.example/cart"}, {"device", "mobile"}, {"now", now}});
  REQUIRE(p.ok());
  CHECK(p->url == "https://shop.example/cart");
  CHECK(p->device == "mobile");
  CHECK(p->now == now);
  CHECK_FALSE(p->forced);
  auto bad = nps::parse_page(json{{"device", "phone"}, {"forced", 1}, {"url", 3}});
  REQUIRE_FALSE(bad.ok());
  std::vector<std::string> paths;
  for (const auto& e : bad.errors())
    paths.push_back(e.path);
  CHECK_THAT(paths,
             Catch::Matchers::UnorderedEquals(std::vector<std::string>{"device", "forced", "url", "now"}));
}

TEST_CASE("eligibility: any JSON in any field gives a value or errors, never an exception",
          "[core][eligibility]") {
  const std::vector<json> values = {nullptr,
                                    true,
                                    0,
                                    -1,
                                    1.5,
                                    1e300,
                                    18446744073709551615ULL,
                                    "",
                                    "x",
                                    " 12 ",
                                    json::array(),
                                    json::object(),
                                    json{1, "a"},
                                    json{{"a", 1}}};
  const json visitor_base = {{"visitor_id", "v1"}, {"surveys", {{"nps1", json::object()}}}};
  for (const char* key : {"visitor_id", "identified", "first_seen", "surveys", "last_survey_shown",
                          "event_counts", "page_views", "attributes", "other"}) {
    for (const auto& v : values) {
      json j = visitor_base;
      j[key] = v;
      CHECK_NOTHROW((void)nps::parse_visitor(j));
      j = visitor_base;
      j["surveys"]["nps1"]["last_shown"] = v;
      j["event_counts"] = {{"e", v}};
      j["attributes"] = {{"a", v}};
      CHECK_NOTHROW((void)nps::parse_visitor(j));
    }
  }
  for (const char* key : {"url", "device", "now", "forced", "other"}) {
    for (const auto& v : values) {
      json j = {{"now", now}};
      j[key] = v;
      CHECK_NOTHROW((void)nps::parse_page(j));
    }
  }
  // Attribute rules against attributes of every type.
  using O = nps::AttributeOp;
  for (O op : {O::equals, O::not_equals, O::greater, O::less, O::contains}) {
    for (const auto& rule_value : values) {
      for (const auto& actual : values) {
        auto s = open_survey();
        s.targeting.attributes = {attr("a", op, rule_value)};
        auto v = visitor();
        v.identified = true;
        v.attributes = {{"a", actual}};
        CHECK_NOTHROW((void)nps::decide(s, v, page()));
      }
    }
  }
}

TEST_CASE("eligibility: resurvey_cutoff is decide's answered-recently rule as a time",
          "[core][eligibility]") {
  auto s = open_survey();
  s.sampling.resurvey_after_answer_days = 90;
  for (const std::int64_t delta :
       std::initializer_list<std::int64_t>{-1, 0, 1, 3'600'000, day - 1, day, 2 * day}) {
    auto v = visitor();
    const std::int64_t answered = nps::resurvey_cutoff(now, 90) + delta;
    v.surveys["nps1"].last_answered = answered;
    const bool allowed = nps::decide(s, v, page()).code != "answered_recently";
    INFO("answered at cutoff + " << delta << " ms");
    CHECK(allowed == (answered <= nps::resurvey_cutoff(now, 90)));
  }
  CHECK(nps::resurvey_cutoff(now, 0) == std::numeric_limits<std::int64_t>::max()); // no limit, as decide
}
