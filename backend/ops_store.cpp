// issue 17: what every engine's OpsStore shares (ops_store.hpp).
#include "ops_store.hpp"

#include "storage.hpp"

#include <charconv>

namespace npsd {

bool is_ops_metric(std::string_view m) noexcept {
  for (auto known : ops_metrics)
    if (m == known) return true;
  return false;
}

std::string ops_value_text(double v) {
  char buf[40];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

double ops_value_from_text(const std::string& s) {
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

OpsStore& Storage::ops() { throw StorageError("this storage keeps no operational data"); }

} // namespace npsd
