// `nps import` (import_cli.cpp): the command's arguments in, its exit status out.
#pragma once

#include <string>
#include <vector>

namespace npsd::import {
[[nodiscard]] int cli(const std::vector<std::string>& args);
}
