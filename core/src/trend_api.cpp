// The operation tally.trend (nps/trend.hpp), registered in api.cpp.
#include "nps/trend.hpp"

namespace nps {

Result<ordered_json> tally_trend_op(const json& in) {
  if (!in.is_object() || !in.contains("periods")) return Error{ErrorCode::required, "periods", "required"};
  for (auto it = in.begin(); it != in.end(); ++it)
    if (it.key() != "periods") return Error{ErrorCode::unknown_field, it.key(), "only \"periods\" is read"};
  const json& list = in.at("periods");
  if (!list.is_array()) return type_error("periods", "an array of periods, each 11 counts", list);
  if (list.size() > 10000) return Error{ErrorCode::too_many, "periods", "at most 10000 periods"};
  std::vector<Tally> periods;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = join_path("periods", i);
    const json& counts = list[i];
    if (!counts.is_array()) return type_error(path, "an array of 11 counts (scores 0 to 10)", counts);
    if (counts.size() != 11)
      return Error{ErrorCode::invalid_value, path, "needs exactly 11 counts, one per score 0 to 10"};
    Tally t;
    for (int s = 0; s <= 10; ++s) {
      const json& c = counts[static_cast<std::size_t>(s)];
      const auto v = as_integer(c);
      if (!c.is_number() || !v || *v < 0)
        return Error{ErrorCode::invalid_value, join_path(path, static_cast<std::size_t>(s)),
                     "a count is a whole number, 0 or more"};
      t.add(*Score::from_int(s), static_cast<std::uint64_t>(*v));
    }
    periods.push_back(t);
  }
  auto r = trend_test(periods);
  if (!r) return r.errors();
  const auto& c = r->first_vs_last;
  return ordered_json{{"periods", r->periods},
                      {"n", r->n},
                      {"slope", r->slope},
                      {"slope_se", r->slope_se},
                      {"start", r->start},
                      {"change", r->change},
                      {"z", r->z},
                      {"p", r->p},
                      {"significant", r->significant},
                      {"small_sample", r->small_sample},
                      {"first_vs_last", ordered_json{{"difference", c.difference},
                                                     {"z", c.z},
                                                     {"p", c.p},
                                                     {"significant", c.significant},
                                                     {"small_sample", c.small_sample}}}};
}

} // namespace nps
