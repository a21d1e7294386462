#include "tally_json.hpp"

#include "nps/api.hpp"

namespace nps {

ordered_json detail::counts_json(const Tally& t) {
  ordered_json arr = ordered_json::array();
  for (auto c : t.counts())
    arr.push_back(c);
  return arr;
}

ordered_json summary_json(const Summary& s) {
  ordered_json j;
  j["n"] = s.n;
  j["promoters"] = s.promoters;
  j["passives"] = s.passives;
  j["detractors"] = s.detractors;
  j["nps"] = s.nps;
  j["ci95"] = ordered_json::array({s.ci95.lo, s.ci95.hi});
  j["method"] = "adjusted-wald";
  return j;
}

ordered_json tally_summary_json(const Tally& t) {
  const auto s = summarize(t);
  ordered_json j = s ? summary_json(*s)
                     : ordered_json{{"n", t.n()},
                                    {"promoters", t.promoters()},
                                    {"passives", t.passives()},
                                    {"detractors", t.detractors()},
                                    {"nps", nullptr},
                                    {"ci95", nullptr},
                                    {"method", "adjusted-wald"}};
  j["counts"] = detail::counts_json(t);
  j["shares"] = s ? ordered_json{{"promoters", s->promoter_share},
                                 {"passives", s->passive_share},
                                 {"detractors", s->detractor_share}}
                  : ordered_json(nullptr);
  j["se"] = s ? ordered_json(s->se) : ordered_json(nullptr);
  j["small_sample"] = s ? s->small_sample : true;
  return j;
}

} // namespace nps
