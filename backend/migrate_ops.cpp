// npsd migrate, per survey: operational data and insight fits (ops_store.hpp), and the
// funnel's counters (funnel_store.hpp). None of them names an answer: operational rows and
// fits name customers (respondent ids, kept as they are), counters name a day and channel.
#include "funnel_store.hpp"
#include "migrate_parts.hpp"
#include "ops_store.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

namespace npsd::migration {

namespace {

bool same_rows(const std::vector<OpsRow>& a, const std::vector<OpsRow>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const OpsRow& x, const OpsRow& y) {
    return x.customer == y.customer && x.day == y.day && x.metric == y.metric && x.value == y.value;
  });
}

std::uint64_t total(const std::vector<FunnelCount>& v) {
  return std::accumulate(v.begin(), v.end(), std::uint64_t{0},
                         [](std::uint64_t s, const FunnelCount& n) { return s + n.count; });
}

} // namespace

void copy_ops(Storage& from, Storage& to, const std::string& survey_id, MigrationReport& rep) {
  auto& src = from; // only read
  const auto rows = src.ops().ops_rows(survey_id);
  if (!rows.empty() && !same_rows(rows, to.ops().ops_rows(survey_id)))
    added(rep, "operational rows",
          to.ops().import_ops(survey_id, rows)); // one transaction; same keys replaced
  for (const auto& [kind, fit] : src.ops().fits(survey_id)) {
    const auto there = to.ops().fit(survey_id, kind);
    if (there && there->json == fit.json && there->at == fit.at) continue;
    to.ops().put_fit(survey_id, kind, fit);
    added(rep, "insight fits", 1);
  }
  const auto counters = src.funnel().counters(survey_id);
  const auto there = to.funnel().counters(survey_id);
  std::vector<FunnelCount> missing;
  for (const auto& n : counters) {
    const auto t = std::find_if(there.begin(), there.end(), [&](const FunnelCount& x) {
      return x.day == n.day && x.channel == n.channel && x.event == n.event;
    });
    if (t == there.end() || t->count < n.count) missing.push_back(n);
  }
  if (!missing.empty()) {
    to.funnel().raise(survey_id, missing);
    added(rep, "funnel counters", missing.size());
  }
}

void check_ops(Storage& from, Storage& to, const std::string& survey_id, MigrationReport& rep) {
  const auto a = from.ops().ops_rows(survey_id), b = to.ops().ops_rows(survey_id);
  std::map<std::tuple<std::string, std::int32_t, std::string>, double> there;
  for (const auto& r : b)
    there.emplace(std::tuple{r.customer, r.day, r.metric}, r.value);
  const auto found = std::count_if(a.begin(), a.end(), [&](const OpsRow& r) {
    const auto t = there.find(std::tuple{r.customer, r.day, r.metric});
    return t != there.end() && t->second == r.value;
  });
  compare(rep, "operational rows", survey_id, a.size(), static_cast<std::uint64_t>(found));
  std::uint64_t fits = 0, fits_there = 0;
  for (const auto& [kind, fit] : from.ops().fits(survey_id)) {
    ++fits;
    const auto t = to.ops().fit(survey_id, kind);
    if (t && t->json == fit.json) ++fits_there;
  }
  compare(rep, "insight fits", survey_id, fits, fits_there);
  const auto fa = from.funnel().counters(survey_id), fb = to.funnel().counters(survey_id);
  compare(rep, "funnel counters", survey_id, fa.size(), fb.size());
  compare(rep, "funnel events counted", survey_id, total(fa), total(fb));
}

} // namespace npsd::migration
