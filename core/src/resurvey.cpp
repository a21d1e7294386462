// resurvey_cutoff (eligibility.hpp): decide's "not before N days after t" rule as a time,
// in a file of its own so the browser's eligibility module does not carry it.
#include "nps/eligibility.hpp"

#include <limits>

namespace nps {

std::int64_t resurvey_cutoff(std::int64_t now, int days) noexcept {
  // decide: allowed when whole days since t >= days, i.e. now - t >= days * 86,400,000 ms.
  if (days <= 0) return std::numeric_limits<std::int64_t>::max();
  return now - static_cast<std::int64_t>(days) * 86'400'000;
}

} // namespace nps
