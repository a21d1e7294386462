#include "nps/score.hpp"

#include <catch2/catch.hpp>

using nps::Category;
using nps::ErrorCode;
using nps::Score;

TEST_CASE("score: parses the whole numbers 0 to 10", "[core][score]") {
  const int v = GENERATE(range(0, 11));
  auto s = Score::parse(std::to_string(v));
  REQUIRE(s.ok());
  CHECK(s->value() == v);
  CHECK(Score::parse(" " + std::to_string(v) + "\r").ok()); // spreadsheet line endings
}

TEST_CASE("score: rejects everything else with a reason", "[core][score]") {
  using Row = std::tuple<std::string, ErrorCode>;
  auto [text, code] = GENERATE(table<std::string, ErrorCode>({
      Row{"9.5", ErrorCode::not_integer}, Row{"11", ErrorCode::out_of_range},
      Row{"-1", ErrorCode::out_of_range}, Row{"+7", ErrorCode::invalid_format},
      Row{"abc", ErrorCode::not_integer}, Row{"1e1", ErrorCode::not_integer},
      Row{"10.0", ErrorCode::not_integer}, Row{"007", ErrorCode::out_of_range},
      Row{"99999999999999999999", ErrorCode::out_of_range}, Row{"", ErrorCode::empty},
      Row{"７", ErrorCode::not_integer}, // a full-width digit is not ASCII
  }));
  auto s = Score::parse(text, "line 3");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == code);
  CHECK(s.error().path == "line 3");
  CHECK_FALSE(s.error().message.empty());
}

TEST_CASE("score: from numbers, integral values only", "[core][score]") {
  CHECK(Score::from_double(9.0).ok());
  CHECK_FALSE(Score::from_double(9.5).ok());
  CHECK_FALSE(Score::from_double(std::numeric_limits<double>::quiet_NaN()).ok());
  CHECK_FALSE(Score::from_int(-1).ok());
  CHECK_FALSE(Score::from_int(11).ok());
}

TEST_CASE("score: categories follow the NPS convention", "[core][score]") {
  for (int v = 0; v <= 10; ++v) {
    const Category expected = v <= 6 ? Category::detractor : v <= 8 ? Category::passive : Category::promoter;
    CHECK(nps::classify(*Score::from_int(v)) == expected);
  }
  CHECK(nps::to_string(Category::passive) == "passive");
  CHECK(nps::category_from_string("promoter") == Category::promoter);
  CHECK_FALSE(nps::category_from_string("fan").has_value());
}
