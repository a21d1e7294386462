// The import presets' columns (import_presets.cpp): for each tool, the headers each field may
// have, the columns never kept as attributes, and where the score is. For import.cpp only.
#pragma once

#include "import.hpp"

#include <map>
#include <string>
#include <vector>

namespace npsd::import {

struct Spec {
  std::map<std::string, std::vector<std::string>> aliases; // field → headers, first found wins
  std::vector<std::string> ignore;                         // never attributes
  std::string score_contains; // else: the score is the column whose header contains this
};

[[nodiscard]] const Spec& spec(Preset p);

} // namespace npsd::import
